# METADATA
# title: Workloads do not use the default service account with a token
# description: >-
#   A pod that names no ServiceAccount runs as its namespace's `default` one. With a token mounted it
#   actively uses that account, so any right granted to `default` (for one workload) reaches every pod
#   of the namespace. Not evaluated when the token automount is not known (see WKL-040).
# custom:
#   id: WKL-042
#   severity: low
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.kubernetes.serviceAccount.automountToken]
#   frameworks:
#     cis-k8s-1.12: ["5.1.5"]
#     nsa-cisa-k8s-1.2: ["pod-security/service-account-tokens"]
#     cis-eks-1.8: ["4.1.5"]
#     cis-aks-1.8: ["4.1.5"]
#     cis-gke-1.9: ["4.1.5"]
#     disa-k8s-stig: ["V-242381"]
#   unverified: [disa-k8s-stig, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Create a ServiceAccount for the workload and set `serviceAccountName`; keep the `default` account
#     without rights and with `automountServiceAccountToken: false`.
package posture.rules.wkl_042

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("%s runs as the default service account with its token mounted", [workload.label]),
	"path": "serviceAccount/name",
	"evidence": "default",
} if {
	workload.is_kubernetes
	sa := input.workload.kubernetes.serviceAccount
	sa.name == "default"
	sa.automountToken == true
}
