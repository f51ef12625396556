# METADATA
# title: EKS worker nodes have no public IP addresses
# description: >-
#   Node groups must launch into subnets that do not map public IPs on launch
#   (`ec2:DescribeSubnets` MapPublicIpOnLaunch for each of the node group's `subnets`), so nodes
#   are not directly reachable from the internet. Judged from the normalized node pool
#   `publicIp`; a pool whose subnets were not resolved (null) is not judged.
# custom:
#   id: EKS-008
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [cluster.nodePools.publicIp]
#   frameworks:
#     cis-eks-1.8: ["5.4.3"]
#     nist-800-53-r5: ["SC-7"]
#     pci-dss-4.0: ["1.3.1"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.4.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Move the node group to private subnets (create a new node group there and drain the old
#     one); give nodes egress through a NAT gateway or VPC endpoints.
package posture.rules.eks_008

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("node group %s of EKS cluster %s gives its nodes public IP addresses", [pool.name, input.cluster.name]),
	"path": sprintf("nodePools/%s/publicIp", [pool.name]),
	"evidence": true,
} if {
	aws.is_eks(input)
	some pool in input.cluster.nodePools
	object.get(pool, "publicIp", null) == true
}
