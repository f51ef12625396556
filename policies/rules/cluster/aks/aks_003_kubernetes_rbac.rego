# METADATA
# title: AKS Kubernetes RBAC enabled
# description: >-
#   Kubernetes role-based access control must be on: the normalized `cluster.rbac`, from `enableRBAC`
#   (`enableRbac` in SDK objects), which ARM enables when the field is omitted.
# custom:
#   id: AKS-003
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [cluster.rbac]
#   frameworks:
#     nist-800-53-r5: ["AC-3(7)"]
#     pci-dss-4.0: ["7.2.1", "7.2.2"]
#     disa-k8s-stig: ["V-242382"]
#     nist-800-190: ["4.3.1"]
#   unverified: [nist-800-190]
#   remediation: >-
#     RBAC cannot be switched on in place: recreate the cluster with RBAC enabled (the default)
#     and migrate workloads.
package posture.rules.aks_003

import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s runs without Kubernetes RBAC", [input.cluster.name]),
	"path": "enableRBAC",
	"evidence": false,
} if {
	input.kind == "cluster"
	input.cluster.distribution == "aks"
	input.cluster.rbac == false
}
