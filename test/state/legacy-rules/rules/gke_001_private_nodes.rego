# METADATA
# title: GKE nodes have no public IP addresses
# description: >-
#   Nodes should have internal IPs only. A node pool's `networkConfig.enablePrivateNodes` decides
#   when set; otherwise the cluster default applies (`networkConfig.defaultEnablePrivateNodes`,
#   or the deprecated `privateClusterConfig.enablePrivateNodes`). Unset everywhere = public nodes.
# custom:
#   id: GKE-001
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.6.5"]
#     nist-800-53-r5: ["SC-7"]
#     pci-dss-4.0: ["1.3.1"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.4.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable private nodes (`gcloud container clusters update --enable-private-nodes`, or per node
#     pool `gcloud container node-pools update --enable-private-nodes`) and give egress a Cloud NAT.
package posture.rules.gke_001

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE node pool %s gives its nodes public IP addresses", [name]),
	"path": sprintf("nodePools/%s/networkConfig/enablePrivateNodes", [name]),
	"evidence": false,
} if {
	gcp.is_gke(input)
	some pool in gcp.node_pools(input)
	gcp.pool_private_nodes(input, pool) != true
	name := gcp.pool_name(pool)
}

# A cluster without node pools (yet) is judged by its default for new pools.
violation contains {
	"msg": sprintf("GKE cluster %s creates nodes with public IP addresses by default", [input.cluster.name]),
	"path": "networkConfig/defaultEnablePrivateNodes",
	"evidence": false,
} if {
	gcp.is_gke(input)
	count(gcp.node_pools(input)) == 0
	gcp.default_private_nodes(input) != true
}
