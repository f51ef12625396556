# METADATA
# title: EKS node groups allow no unrestricted SSH
# description: >-
#   A managed node group with `remoteAccess.ec2SshKey` and no `remoteAccess.sourceSecurityGroups`
#   opens port 22 on every node to 0.0.0.0/0. Judged when the node groups (DescribeNodegroup)
#   were collected.
# custom:
#   id: EKS-009
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [raw.nodegroups]
#   frameworks:
#     nist-800-53-r5: ["AC-17"]
#     pci-dss-4.0: ["2.2.4"]
#     disa-k8s-stig: ["V-242393"]
#     owasp-docker-top10: ["D04"]
#     nist-800-190: ["4.5"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, disa-k8s-stig, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Recreate the node group without an SSH key and use SSM Session Manager, or restrict
#     `sourceSecurityGroups` to a bastion's security group.
package posture.rules.eks_009

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("node group %s of EKS cluster %s accepts SSH with key %s from any address", [name, input.cluster.name, key]),
	"path": sprintf("nodegroups/%s/remoteAccess", [name]),
	"evidence": {"ec2SshKey": key, "sourceSecurityGroups": []},
} if {
	aws.is_eks(input)
	some group in aws.collected_list(input, "nodegroups")
	key := object.get(group, ["remoteAccess", "ec2SshKey"], "")
	is_string(key)
	key != ""
	count(object.get(group, ["remoteAccess", "sourceSecurityGroups"], [])) == 0
	name := object.get(group, "nodegroupName", "(unnamed)")
}
