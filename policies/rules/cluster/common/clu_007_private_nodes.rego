# METADATA
# title: Kubernetes nodes have no public IP addresses
# description: >-
#   Worker nodes should not be reachable from the internet on addresses of their own; egress belongs behind
#   a NAT gateway, load balancer or firewall. Judges the normalized `cluster.nodePools[].publicIp`: EKS
#   whether any subnet of the node group maps public IPs on launch (unknown when the node groups or their
#   subnets were not read); AKS `enableNodePublicIP` of each agent pool; GKE each node pool's
#   `networkConfig.enablePrivateNodes`, else the cluster default (`networkConfig.defaultEnablePrivateNodes`,
#   else the deprecated `privateClusterConfig.enablePrivateNodes`).
# custom:
#   id: CLU-007
#   severity: high
#   kind: [cluster]
#   applies:
#     distribution: [eks, aks, gke]
#   requires: [cluster.nodePools.publicIp]
#   aliases:
#     - {id: EKS-008, distribution: [eks]}
#     - {id: AKS-009, distribution: [aks]}
#     - {id: GKE-001, distribution: [gke]}
#   frameworks:
#     cis-eks-1.8: ["5.4.3"]
#     cis-aks-1.8: ["5.4.3"]
#     cis-gke-1.9: ["5.6.5"]
#     nist-800-53-r5: ["SC-7"]
#     pci-dss-4.0: ["1.3.1"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.4.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     EKS: launch node groups into private subnets (MapPublicIpOnLaunch off). AKS: recreate the node pool
#     without `--enable-node-public-ip`. GKE: `gcloud container node-pools update --enable-private-nodes`
#     (or create the cluster with `--enable-private-nodes`).
package posture.rules.clu_007

import data.posture.lib.k8s
import rego.v1

violation contains {
	"msg": sprintf("node pool %s of %s cluster %s gives its nodes public IP addresses", [pool.name, k8s.label, input.cluster.name]),
	"path": sprintf("nodePools/%s/publicIp", [pool.name]),
	"evidence": true,
	"aliasPath": k8s.earlier_path({
		"aks": sprintf("agentPoolProfiles/%s/enableNodePublicIP", [pool.name]),
		"gke": sprintf("nodePools/%s/networkConfig/enablePrivateNodes", [pool.name]),
	}),
} if {
	k8s.is_cluster(input)
	some pool in input.cluster.nodePools
	pool.publicIp == true
}
