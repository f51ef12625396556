# METADATA
# title: Default service accounts do not mount tokens
# description: >-
#   Every pod that names no service account runs as its namespace's `default` one, and gets its token
#   unless the pod or the account says otherwise. Setting `automountServiceAccountToken: false` on the
#   `default` ServiceAccount turns that off for all of them. Not evaluated when the namespace's
#   ServiceAccounts are not in the input.
# custom:
#   id: NS-003
#   severity: medium
#   kind: [namespace]
#   requires: [namespace.serviceAccounts]
#   frameworks:
#     cis-k8s-1.12: ["5.1.5"]
#     nsa-cisa-k8s-1.2: ["pod-security/service-account-tokens"]
#     cis-eks-1.8: ["4.1.5"]
#     cis-aks-1.8: ["4.1.5"]
#     cis-gke-1.9: ["4.1.5"]
#   unverified: [nsa-cisa-k8s-1.2]
#   remediation: >-
#     `kubectl patch serviceaccount default -n NAMESPACE -p '{"automountServiceAccountToken": false}'`, and
#     give workloads that call the API their own ServiceAccount.
package posture.rules.ns_003

import rego.v1

violation contains {
	"msg": sprintf("the default service account of namespace %s mounts its token into pods (automountServiceAccountToken is %s)", [input.namespace.name, shown(sa.automountToken)]),
	"path": "serviceAccounts/default/automountServiceAccountToken",
	"evidence": sa.automountToken,
} if {
	input.kind == "namespace"
	some sa in input.namespace.serviceAccounts
	sa.name == "default"
	sa.automountToken != false
}

shown(null) := "unset"

shown(true) := "true"
