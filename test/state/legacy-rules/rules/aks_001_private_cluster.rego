# METADATA
# title: AKS API server is private
# description: >-
#   The managed cluster's API server should only be reachable through a private endpoint in the
#   cluster's virtual network. `apiServerAccessProfile.enablePrivateCluster` defaults to false.
# custom:
#   id: AKS-001
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [raw.resource]
#   frameworks:
#     cis-aks-1.8: ["5.4.2"]
#     nist-800-53-r5: ["SC-7"]
#     pci-dss-4.0: ["1.2.8", "1.3.1", "1.3.2", "1.4.2"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.2"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Create the cluster as a private cluster (`az aks create --enable-private-cluster`), or, for an
#     existing cluster, enable API Server VNet Integration with a private API server.
package posture.rules.aks_001

import data.posture.lib.azure
import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s exposes its API server publicly (enablePrivateCluster is not true)", [input.cluster.name]),
	"path": "apiServerAccessProfile/enablePrivateCluster",
	"evidence": azure.prop_or(input, ["apiServerAccessProfile", "enablePrivateCluster"], null),
} if {
	azure.is_aks(input)
	azure.prop_or(input, ["apiServerAccessProfile", "enablePrivateCluster"], false) != true
}
