# METADATA
# title: EKS authenticates with access entries, without a permanent creator admin
# description: >-
#   `accessConfig.authenticationMode` must not be CONFIG_MAP: the aws-auth ConfigMap is edited
#   inside the cluster, outside IAM's audit trail. And `bootstrapClusterCreatorAdminPermissions`
#   must be false, so the identity that created the cluster does not keep hidden cluster-admin
#   rights. Absent fields take the CreateCluster defaults (CONFIG_MAP, true). Judged when the
#   DescribeCluster object was collected.
# custom:
#   id: EKS-006
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [raw.cluster]
#   frameworks:
#     cis-eks-1.8: ["5.5.1"]
#     nist-800-53-r5: ["AC-2", "AC-6"]
#     pci-dss-4.0: ["7.2.1"]
#     nist-800-190: ["4.3.1"]
#   unverified: [cis-eks-1.8, nist-800-53-r5, pci-dss-4.0, nist-800-190]
#   remediation: >-
#     Switch to `API` (through `API_AND_CONFIG_MAP` while migrating aws-auth entries) with
#     `aws eks update-cluster-config --access-config authenticationMode=API`, and replace the
#     creator's implicit admin with an explicit access entry.
package posture.rules.eks_006

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("EKS cluster %s authenticates through the aws-auth ConfigMap only", [input.cluster.name]),
	"path": "accessConfig/authenticationMode",
	"evidence": mode,
} if {
	raw := collected
	mode := object.get(raw, ["accessConfig", "authenticationMode"], "CONFIG_MAP")
	mode == "CONFIG_MAP"
}

violation contains {
	"msg": sprintf("EKS cluster %s keeps cluster-admin rights for the identity that created it", [input.cluster.name]),
	"path": "accessConfig/bootstrapClusterCreatorAdminPermissions",
	"evidence": true,
} if {
	raw := collected
	object.get(raw, ["accessConfig", "bootstrapClusterCreatorAdminPermissions"], true) == true
}

collected := raw if {
	aws.is_eks(input)
	raw := aws.eks_cluster(input)
	count(raw) > 0
}
