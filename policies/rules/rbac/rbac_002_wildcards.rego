# METADATA
# title: Bound roles do not use wildcards
# description: >-
#   A `*` in a bound role's verbs, resources or API groups grants everything that exists now and every
#   resource or verb added later (new CRDs, new subresources). Judged on the rules of the role each
#   binding grants; not evaluated when the role is not in the input.
# custom:
#   id: RBAC-002
#   severity: medium
#   kind: [rbac-binding]
#   requires: [rbacBinding.role.rules]
#   frameworks:
#     cis-k8s-1.12: ["5.1.3"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-eks-1.8: ["4.1.3"]
#     cis-aks-1.8: ["4.1.3"]
#     cis-gke-1.9: ["4.1.3"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     List the verbs, resources and API groups the subject needs instead of `*`.
package posture.rules.rbac_002

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s grants %s, whose rules use wildcards (%s)", [rbac.label, rbac.role_label, concat("; ", wild)]),
	"path": "role/rules",
	"evidence": wild,
} if {
	rbac.is_binding
	not rbac.platform_binding
	wild := sort([rbac.rule_text(r) | some r in rbac.rules; wildcard(r)])
	count(wild) > 0
}

wildcard(r) if "*" in r.verbs

wildcard(r) if "*" in r.resources

wildcard(r) if "*" in r.apiGroups
