# METADATA
# title: GKE control plane has no public endpoint
# description: >-
#   The control plane should not answer on a public IP. The newer
#   `controlPlaneEndpointsConfig.ipEndpointsConfig` decides when it holds a value (`enabled: false`
#   = no IP endpoint; `enablePublicEndpoint`); otherwise the deprecated
#   `privateClusterConfig.enablePrivateEndpoint` does (default false = public).
# custom:
#   id: GKE-002
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.6.4"]
#     nist-800-53-r5: ["AC-4", "SC-7"]
#     pci-dss-4.0: ["1.4.4"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Disable the public endpoint (`gcloud container clusters update --no-enable-ip-access` or
#     `--enable-private-endpoint`) and reach the control plane through the DNS endpoint or the VPC.
package posture.rules.gke_002

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s exposes its control plane on a public endpoint", [input.cluster.name]),
	"path": "controlPlaneEndpointsConfig/ipEndpointsConfig/enablePublicEndpoint",
	"evidence": {
		"enablePublicEndpoint": object.get(gcp.ip_endpoints(input), "enablePublicEndpoint", null),
		"enablePrivateEndpoint": gcp.get(gcp.cluster(input), ["privateClusterConfig", "enablePrivateEndpoint"], null),
	},
} if {
	gcp.is_gke(input)
	gcp.public_endpoint(input) == true
}
