# METADATA
# title: Bindings grant nothing to anonymous or every authenticated user
# description: >-
#   A binding whose subjects include the user system:anonymous or the groups system:unauthenticated or
#   system:authenticated grants its role to anyone who can reach the API server (or holds any
#   credential at all, which on managed clusters can mean any cloud account). The API server's own
#   discovery bindings are not judged.
# custom:
#   id: RBAC-011
#   severity: critical
#   kind: [rbac-binding]
#   requires: [rbacBinding.subjects]
#   frameworks:
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     nist-800-53-r5: ["AC-3", "AC-6"]
#     pci-dss-4.0: ["7.2.1"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove the anonymous and all-users subjects from the binding and grant the role to named groups or
#     service accounts.
package posture.rules.rbac_011

import data.posture.lib.rbac
import rego.v1

everyone := {"system:anonymous", "system:unauthenticated", "system:authenticated"}

violation contains {
	"msg": sprintf("%s grants %s to %s", [rbac.label, rbac.role_label, concat(", ", names)]),
	"path": "subjects",
	"evidence": names,
} if {
	rbac.is_binding
	not rbac.platform_binding
	names := sort([s.name | some s in rbac.binding.subjects; s.kind in {"User", "Group"}; s.name in everyone])
	count(names) > 0
}
