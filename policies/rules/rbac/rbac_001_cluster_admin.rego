# METADATA
# title: cluster-admin is not bound outside the platform
# description: >-
#   A binding of the `cluster-admin` ClusterRole, or of any role with a rule granting every verb on every
#   resource of every API group, gives its subjects full control of the cluster (within the namespace for
#   a RoleBinding). The API server's own binding of cluster-admin to system:masters is not judged.
# custom:
#   id: RBAC-001
#   severity: critical
#   kind: [rbac-binding]
#   requires: [rbacBinding.role.name]
#   frameworks:
#     cis-k8s-1.12: ["5.1.1"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-eks-1.8: ["4.1.1"]
#     cis-aks-1.8: ["4.1.1"]
#     cis-gke-1.9: ["4.1.1"]
#     nist-800-53-r5: ["AC-6"]
#     pci-dss-4.0: ["7.2.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Bind a role with only the permissions the subject needs (the built-in `admin`, `edit` or `view`, or a
#     custom Role) and delete the cluster-admin binding.
package posture.rules.rbac_001

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s grants %s (%s) to %s", [rbac.label, rbac.role_label, reason, rbac.subjects_text]),
	"path": "roleRef",
	"evidence": {"role": rbac.role_label, "subjects": [rbac.subject_text(s) | some s in rbac.binding.subjects]},
} if {
	rbac.is_binding
	not rbac.platform_binding
	some reason in reasons
}

reasons contains "cluster-admin" if {
	rbac.binding.role.kind == "ClusterRole"
	rbac.binding.role.name == "cluster-admin"
}

reasons contains "every verb on every resource" if {
	rbac.binding.role.name != "cluster-admin"
	some r in rbac.rules
	"*" in r.verbs
	"*" in r.apiGroups
	"*" in r.resources
}
