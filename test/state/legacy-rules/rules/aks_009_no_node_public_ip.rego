# METADATA
# title: AKS nodes have no public IP addresses
# description: >-
#   Agent pool nodes should not get their own public IPs (`enableNodePublicIP`, default false);
#   egress belongs behind a load balancer, NAT gateway or firewall.
# custom:
#   id: AKS-009
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [raw.resource]
#   frameworks:
#     cis-aks-1.8: ["5.4.3"]
#     nist-800-53-r5: ["SC-7"]
#     pci-dss-4.0: ["1.3.1"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.4.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Recreate the node pool without `--enable-node-public-ip` and move workloads to it.
package posture.rules.aks_009

import data.posture.lib.azure
import rego.v1

violation contains {
	"msg": sprintf("AKS agent pool %s gives its nodes public IP addresses", [name]),
	"path": sprintf("agentPoolProfiles/%s/enableNodePublicIP", [name]),
	"evidence": true,
} if {
	azure.is_aks(input)
	some pool in azure.agent_pools(input)
	azure.sub(pool, ["enableNodePublicIP"], false) == true
	name := azure.pool_name(pool)
}
