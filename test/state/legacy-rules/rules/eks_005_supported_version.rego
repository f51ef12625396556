# METADATA
# title: EKS on a supported Kubernetes version, node groups in step
# description: >-
#   The control plane must run at least `kubernetes.minVersion` (the oldest minor version still
#   in standard support), and no node group may run an older minor version than the control
#   plane. Versions are compared as major.minor numbers.
# custom:
#   id: EKS-005
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [cluster.version]
#   frameworks:
#     aws-fsbp: ["EKS.2"]
#     nist-800-53-r5: ["CA-9(1)", "CM-2", "SI-2", "SI-2(2)", "SI-2(4)", "SI-2(5)"]
#     pci-dss-4.0: ["6.3.3"]
#     disa-k8s-stig: ["V-242443", "V-242442"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.4.1"]
#   unverified: [disa-k8s-stig, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Upgrade the control plane one minor version at a time (`aws eks update-cluster-version`),
#     then each managed node group (`aws eks update-nodegroup-version`).
package posture.rules.eks_005

import data.posture.lib.aws
import data.posture.lib.k8s_version
import rego.v1

violation contains {
	"msg": sprintf("EKS cluster %s runs Kubernetes %s, older than the minimum %s", [input.cluster.name, version, k8s_version.min_version]),
	"path": "version",
	"evidence": {"version": version, "minimum": k8s_version.min_version, "supportType": support_type},
} if {
	aws.is_eks(input)
	version := input.cluster.version
	is_string(version)
	k8s_version.below_min(version)
}

violation contains {
	"msg": sprintf("node group %s of EKS cluster %s runs Kubernetes %s, behind the control plane's %s", [pool.name, input.cluster.name, pool.version, input.cluster.version]),
	"path": sprintf("nodePools/%s/version", [pool.name]),
	"evidence": {"nodeGroupVersion": pool.version, "clusterVersion": input.cluster.version},
} if {
	aws.is_eks(input)
	cluster := k8s_version.major_minor(input.cluster.version)
	some pool in input.cluster.nodePools
	nodes := k8s_version.major_minor(pool.version)
	behind(nodes, cluster)
}

behind(nodes, cluster) if nodes[0] < cluster[0]

behind(nodes, cluster) if {
	nodes[0] == cluster[0]
	nodes[1] < cluster[1]
}

support_type := object.get(aws.eks_cluster(input), ["upgradePolicy", "supportType"], null)
