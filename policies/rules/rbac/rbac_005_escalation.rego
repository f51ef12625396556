# METADATA
# title: Bound roles do not bind, escalate or impersonate
# description: >-
#   bind and escalate on Roles and ClusterRoles let a subject grant itself permissions it does not hold;
#   impersonate on users, groups or service accounts lets it act as any of them. Each is a way around RBAC.
# custom:
#   id: RBAC-005
#   severity: high
#   kind: [rbac-binding]
#   requires: [rbacBinding.role.rules]
#   frameworks:
#     cis-k8s-1.12: ["5.1.8"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-eks-1.8: ["4.1.8"]
#     cis-aks-1.8: ["4.1.7"]
#     cis-gke-1.9: ["4.1.8"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove bind, escalate and impersonate from the role; grant them only to the few administrators who
#     manage RBAC itself.
package posture.rules.rbac_005

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s lets %s bind, escalate or impersonate (%s)", [rbac.label, rbac.subjects_text, concat("; ", [rbac.rule_text(r) | some r in granting])]),
	"path": "role/rules",
	"evidence": [rbac.rule_text(r) | some r in granting],
} if {
	rbac.is_binding
	not rbac.platform_binding
	count(granting) > 0
}

granting := array.concat(
	rbac.granting(["bind", "escalate"], ["rbac.authorization.k8s.io"], ["roles", "clusterroles"]),
	rbac.granting(["impersonate"], ["", "authentication.k8s.io"], ["users", "groups", "serviceaccounts", "uids", "userextras"]),
)
