# METADATA
# title: Bound roles do not approve certificate signing requests
# description: >-
#   Updating the approval subresource of CertificateSigningRequests (with approve on a signer) lets a
#   subject issue itself a client certificate for any user or group, system:masters included.
# custom:
#   id: RBAC-008
#   severity: high
#   kind: [rbac-binding]
#   requires: [rbacBinding.role.rules]
#   frameworks:
#     cis-k8s-1.12: ["5.1.11"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-aks-1.8: ["4.1.10"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove update/patch on certificatesigningrequests/approval and approve on signers; leave approval
#     to the controller manager and a reviewed approver.
package posture.rules.rbac_008

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s lets %s approve certificate signing requests (%s)", [rbac.label, rbac.subjects_text, concat("; ", [rbac.rule_text(r) | some r in granting])]),
	"path": "role/rules",
	"evidence": [rbac.rule_text(r) | some r in granting],
} if {
	rbac.is_binding
	not rbac.platform_binding
	count(granting) > 0
}

granting := array.concat(rbac.granting(["update", "patch"], ["certificates.k8s.io"], ["certificatesigningrequests/approval"]), rbac.granting(["approve"], ["certificates.k8s.io"], ["signers"]))
