# METADATA
# title: Pods mount a service account token only where they need one
# description: >-
#   Unless the pod spec or its ServiceAccount sets `automountServiceAccountToken: false`, every container
#   gets a token for the Kubernetes API at /var/run/secrets/kubernetes.io/serviceaccount: whoever
#   compromises the container can call the API with the ServiceAccount's rights. The pod spec's setting
#   wins over the ServiceAccount's. Not evaluated when neither the pod spec says nor the ServiceAccount is
#   in the input.
# custom:
#   id: WKL-040
#   severity: medium
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.kubernetes.serviceAccount.automountToken]
#   frameworks:
#     cis-k8s-1.12: ["5.1.6"]
#     nsa-cisa-k8s-1.2: ["pod-security/service-account-tokens"]
#     cis-eks-1.8: ["4.1.6"]
#     cis-aks-1.8: ["4.1.6"]
#     cis-gke-1.9: ["4.1.6"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount), and mount a
#     projected token only in the pods that call the API.
package posture.rules.wkl_040

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("%s mounts a token of service account %s (%s)", [workload.label, sa.name, source[sa.automountSource]]),
	"path": "serviceAccount/automountToken",
	"evidence": {"serviceAccount": sa.name, "automountToken": true, "from": sa.automountSource},
} if {
	workload.is_kubernetes
	sa := input.workload.kubernetes.serviceAccount
	sa.automountToken == true
}

source := {
	"pod": "the pod spec asks for it",
	"service-account": "its ServiceAccount asks for it",
	"default": "nothing turns it off",
}
