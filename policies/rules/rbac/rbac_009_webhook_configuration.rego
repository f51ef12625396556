# METADATA
# title: Bound roles do not change admission webhooks
# description: >-
#   Whoever can create, change or delete validating or mutating webhook configurations can switch off
#   admission policy or have every object sent to (and rewritten by) a server of their choice.
# custom:
#   id: RBAC-009
#   severity: high
#   kind: [rbac-binding]
#   requires: [rbacBinding.role.rules]
#   frameworks:
#     cis-k8s-1.12: ["5.1.12"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-eks-1.8: ["4.1.11"]
#     cis-aks-1.8: ["4.1.11"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove write access to validatingwebhookconfigurations and mutatingwebhookconfigurations; keep it with
#     the operators that install admission controllers.
package posture.rules.rbac_009

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s lets %s change admission webhooks (%s)", [rbac.label, rbac.subjects_text, concat("; ", [rbac.rule_text(r) | some r in granting])]),
	"path": "role/rules",
	"evidence": [rbac.rule_text(r) | some r in granting],
} if {
	rbac.is_binding
	not rbac.platform_binding
	count(granting) > 0
}

granting := rbac.granting(["create", "update", "patch", "delete", "deletecollection"], ["admissionregistration.k8s.io"], ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"])
