# METADATA
# title: GKE cluster is VPC-native
# description: >-
#   The cluster must be VPC-native (`ipAllocationPolicy.useIpAliases`; unset = routes-based), so pod
#   addresses are VPC alias ranges that firewall rules and Dataplane V2 can see. Whether NetworkPolicy is
#   enforced is judged for every cloud by CLU-006.
# custom:
#   id: GKE-012
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.6.2"]
#     nist-800-53-r5: ["AC-4", "SC-7"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.3"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Routes-based clusters cannot be converted: create a VPC-native replacement (`--enable-ip-alias`,
#     the default for new clusters) and migrate.
package posture.rules.gke_012

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s is routes-based, not VPC-native", [input.cluster.name]),
	"path": "ipAllocationPolicy/useIpAliases",
	"evidence": gcp.get(gcp.cluster(input), ["ipAllocationPolicy", "useIpAliases"], null),
} if {
	gcp.is_gke(input)
	gcp.get(gcp.cluster(input), ["ipAllocationPolicy", "useIpAliases"], false) != true
}
