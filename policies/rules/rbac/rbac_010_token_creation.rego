# METADATA
# title: Bound roles do not mint service account tokens
# description: >-
#   create on serviceaccounts/token issues a token for any service account of the namespace (of every
#   namespace for a ClusterRoleBinding), and with it that account's permissions.
# custom:
#   id: RBAC-010
#   severity: high
#   kind: [rbac-binding]
#   requires: [rbacBinding.role.rules]
#   frameworks:
#     cis-k8s-1.12: ["5.1.13"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-eks-1.8: ["4.1.12"]
#     cis-aks-1.8: ["4.1.12"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove create on serviceaccounts/token; let pods receive their own tokens through projected volumes.
package posture.rules.rbac_010

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s lets %s mint service account tokens (%s)", [rbac.label, rbac.subjects_text, concat("; ", [rbac.rule_text(r) | some r in granting])]),
	"path": "role/rules",
	"evidence": [rbac.rule_text(r) | some r in granting],
} if {
	rbac.is_binding
	not rbac.platform_binding
	count(granting) > 0
}

granting := rbac.granting(["create"], [""], ["serviceaccounts/token"])
