# METADATA
# title: EKS clusters have deletion protection
# description: >-
#   With `deletionProtection` on (DescribeCluster), EKS refuses DeleteCluster until the setting is
#   turned off first, so one mistaken or malicious call cannot take the control plane, its
#   add-ons and everything scheduled on it away. A cluster whose answer does not carry the
#   setting (null) is not judged.
# custom:
#   id: EKS-011
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [cluster.deletionProtection]
#   frameworks:
#     nist-800-53-r5: ["CM-3"]
#   unverified: [nist-800-53-r5]
#   remediation: >-
#     `aws eks update-cluster-config --name <cluster> --deletion-protection`; turn it off only in
#     the change that deletes the cluster.
package posture.rules.eks_011

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("EKS cluster %s can be deleted in one call: deletion protection is off", [input.cluster.name]),
	"path": "deletionProtection",
	"evidence": false,
} if {
	aws.is_eks(input)
	input.cluster.deletionProtection == false
}
