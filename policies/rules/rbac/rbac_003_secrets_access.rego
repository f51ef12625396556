# METADATA
# title: Bound roles do not read secrets
# description: >-
#   Reading Secrets (get, list or watch on secrets in the core API group) reveals every credential of the
#   namespace, or of the cluster for a ClusterRoleBinding; list and watch return the values too. A rule
#   limited to named secrets (resourceNames) is the narrow access this control asks for and passes.
# custom:
#   id: RBAC-003
#   severity: high
#   kind: [rbac-binding]
#   requires: [rbacBinding.role.rules]
#   frameworks:
#     cis-k8s-1.12: ["5.1.2"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-eks-1.8: ["4.1.2"]
#     cis-aks-1.8: ["4.1.2"]
#     cis-gke-1.9: ["4.1.2"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove get, list and watch on secrets from the role, or limit the rule to the named secrets the
#     subject needs with resourceNames.
package posture.rules.rbac_003

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s lets %s read secrets (%s)", [rbac.label, rbac.subjects_text, concat("; ", [rbac.rule_text(r) | some r in granting])]),
	"path": "role/rules",
	"evidence": [rbac.rule_text(r) | some r in granting],
} if {
	rbac.is_binding
	not rbac.platform_binding
	count(granting) > 0
}

granting := [r | some r in rbac.granting(["get", "list", "watch"], [""], ["secrets"]); count(object.get(r, "resourceNames", [])) == 0]
