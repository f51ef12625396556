# METADATA
# title: Workloads do not run in the default namespace
# description: >-
#   The `default` namespace is where objects land when nobody chose a namespace: workloads there share
#   its RBAC, network policies and quotas with everything else that was put there by accident.
# custom:
#   id: WKL-041
#   severity: low
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.kubernetes.namespace]
#   frameworks:
#     cis-k8s-1.12: ["5.6.4"]
#     nsa-cisa-k8s-1.2: ["network/namespaces"]
#     cis-eks-1.8: ["4.5.2"]
#     cis-aks-1.8: ["4.6.3"]
#     cis-gke-1.9: ["4.6.4"]
#     disa-k8s-stig: ["V-242383"]
#   unverified: [disa-k8s-stig, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Create a namespace for the application and deploy it there, with its own RBAC, network policies and
#     Pod Security labels.
package posture.rules.wkl_041

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("%s runs in the default namespace", [workload.label]),
	"path": "namespace",
	"evidence": "default",
} if {
	workload.is_kubernetes
	input.workload.kubernetes.namespace == "default"
}
