# METADATA
# title: Bound roles do not reach the node proxy
# description: >-
#   The proxy subresource of nodes forwards requests to the kubelet API, which runs commands in any pod
#   of the node and bypasses the API server's audit and admission.
# custom:
#   id: RBAC-007
#   severity: high
#   kind: [rbac-binding]
#   requires: [rbacBinding.role.rules]
#   frameworks:
#     cis-k8s-1.12: ["5.1.10"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-eks-1.8: ["4.1.10"]
#     cis-aks-1.8: ["4.1.9"]
#     cis-gke-1.9: ["4.1.10"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove access to nodes/proxy; read metrics through the metrics API or the kubelet's read-only
#     endpoints instead.
package posture.rules.rbac_007

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s lets %s reach the node proxy (%s)", [rbac.label, rbac.subjects_text, concat("; ", [rbac.rule_text(r) | some r in granting])]),
	"path": "role/rules",
	"evidence": [rbac.rule_text(r) | some r in granting],
} if {
	rbac.is_binding
	not rbac.platform_binding
	count(granting) > 0
}

granting := rbac.granting(["get", "create", "update", "patch", "delete"], [""], ["nodes/proxy"])
