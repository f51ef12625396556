# METADATA
# title: GKE control plane limited to authorized networks
# description: >-
#   Control plane authorized networks must be enabled and must not admit every address (a /0
#   block). Read from `controlPlaneEndpointsConfig.ipEndpointsConfig.authorizedNetworksConfig`
#   when it says whether it is enabled, else from the deprecated `masterAuthorizedNetworksConfig`;
#   blocks from both are checked. Not judged when the cluster has no IP endpoint at all.
# custom:
#   id: GKE-003
#   severity: critical
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.6.3"]
#     nist-800-53-r5: ["SC-7"]
#     pci-dss-4.0: ["1.3.1"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable authorized networks with the administrative ranges only
#     (`gcloud container clusters update --enable-master-authorized-networks
#     --master-authorized-networks <cidrs>`).
package posture.rules.gke_003

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s does not restrict its control plane to authorized networks", [input.cluster.name]),
	"path": "masterAuthorizedNetworksConfig/enabled",
	"evidence": object.get(gcp.authorized_networks(input), "enabled", null),
} if {
	has_ip_endpoint
	object.get(gcp.authorized_networks(input), "enabled", false) != true
}

violation contains {
	"msg": sprintf("GKE cluster %s authorizes every address on its control plane (%s)", [input.cluster.name, concat(", ", open_blocks)]),
	"path": "masterAuthorizedNetworksConfig/cidrBlocks",
	"evidence": open_blocks,
} if {
	has_ip_endpoint
	count(open_blocks) > 0
}

has_ip_endpoint if {
	gcp.is_gke(input)
	gcp.ip_endpoints(input).enabled != false
}

has_ip_endpoint if {
	gcp.is_gke(input)
	not has_enabled_flag
}

has_enabled_flag if _ = gcp.ip_endpoints(input).enabled

open_blocks := sort([cidr |
	some config in [
		gcp.get(gcp.cluster(input), ["masterAuthorizedNetworksConfig"], {}),
		gcp.get(gcp.ip_endpoints(input), ["authorizedNetworksConfig"], {}),
	]
	some block in gcp.get(config, ["cidrBlocks"], [])
	cidr := object.get(block, "cidrBlock", "")
	is_string(cidr)
	endswith(trim_space(cidr), "/0")
])
