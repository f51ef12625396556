# METADATA
# title: AKS Kubernetes RBAC enabled
# description: >-
#   Kubernetes role-based access control must be on (`enableRBAC`, `enableRbac` in SDK objects).
#   ARM enables it when the field is omitted, so only an explicit false fails.
# custom:
#   id: AKS-003
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [raw.resource]
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

import data.posture.lib.azure
import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s runs without Kubernetes RBAC", [input.cluster.name]),
	"path": "enableRBAC",
	"evidence": value,
} if {
	azure.is_aks(input)
	value := azure.prop_or(input, ["enableRBAC"], true)
	value != true
}
