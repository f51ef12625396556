# METADATA
# title: Default service accounts are granted no role
# description: >-
#   Every pod that names no service account runs as its namespace's `default` one: a role bound to
#   `default` reaches every such pod, present and future. Grant roles to a dedicated service account
#   instead.
# custom:
#   id: RBAC-012
#   severity: medium
#   kind: [rbac-binding]
#   requires: [rbacBinding.subjects]
#   frameworks:
#     cis-k8s-1.12: ["5.1.5"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-eks-1.8: ["4.1.5"]
#     cis-aks-1.8: ["4.1.5"]
#     cis-gke-1.9: ["4.1.5"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Create a ServiceAccount for the workload that needs the role, bind the role to it, set
#     `serviceAccountName` on the workload, and remove `default` from the binding.
package posture.rules.rbac_012

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s grants %s to the default service account of namespace %s", [rbac.label, rbac.role_label, s.namespace]),
	"path": sprintf("subjects/ServiceAccount/%s/default", [s.namespace]),
	"evidence": rbac.subject_text(s),
} if {
	rbac.is_binding
	not rbac.platform_binding
	some s in rbac.binding.subjects
	s.kind == "ServiceAccount"
	s.name == "default"
}
