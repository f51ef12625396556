# METADATA
# title: GKE enforces network policy on a VPC-native cluster
# description: >-
#   Network policy must be enforced, either by the Calico add-on (`networkPolicy.enabled`) or by
#   GKE Dataplane V2 (`networkConfig.datapathProvider: ADVANCED_DATAPATH`), and the cluster must be
#   VPC-native (`ipAllocationPolicy.useIpAliases`; unset = routes-based).
# custom:
#   id: GKE-012
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["4.3.1", "5.6.2"]
#     nist-800-53-r5: ["AC-4", "SC-7"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.3"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Create clusters with `--enable-dataplane-v2` (VPC-native, policy enforced), or enable network
#     policy on an existing VPC-native cluster (`--enable-network-policy`).
package posture.rules.gke_012

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s enforces no network policy", [input.cluster.name]),
	"path": "networkPolicy/enabled",
	"evidence": {
		"networkPolicy": gcp.get(gcp.cluster(input), ["networkPolicy", "enabled"], null),
		"datapathProvider": gcp.get(gcp.cluster(input), ["networkConfig", "datapathProvider"], null),
	},
} if {
	gcp.is_gke(input)
	not enforced
}

violation contains {
	"msg": sprintf("GKE cluster %s is routes-based, not VPC-native", [input.cluster.name]),
	"path": "ipAllocationPolicy/useIpAliases",
	"evidence": gcp.get(gcp.cluster(input), ["ipAllocationPolicy", "useIpAliases"], null),
} if {
	gcp.is_gke(input)
	gcp.get(gcp.cluster(input), ["ipAllocationPolicy", "useIpAliases"], false) != true
}

enforced if gcp.get(gcp.cluster(input), ["networkPolicy", "enabled"], false) == true

enforced if gcp.get(gcp.cluster(input), ["networkConfig", "datapathProvider"], "") == "ADVANCED_DATAPATH"
