# METADATA
# title: Containers cannot gain more privileges than their parent
# description: >-
#   Privilege escalation (through set-user-ID or set-group-ID files, or file capabilities) must be turned
#   off: Kubernetes `allowPrivilegeEscalation: false` on every container, ECS `dockerSecurityOptions:
#   no-new-privileges`. Unset means allowed (the runtime default) and fails, as in the Pod Security
#   Standards' Restricted profile. Windows workloads are exempt: the setting does not exist there.
# custom:
#   id: WKL-031
#   severity: medium
#   kind: [workload]
#   requires: [workload.containers]
#   frameworks:
#     k8s-pss: ["allowPrivilegeEscalation"]
#     cis-k8s-1.12: ["5.2.6"]
#     nsa-cisa-k8s-1.2: ["pod-security/enforcement"]
#     cis-eks-1.8: ["4.2.5"]
#     cis-aks-1.8: ["4.2.5"]
#     cis-docker-1.6: ["5.26"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Set `securityContext.allowPrivilegeEscalation: false` on every container (ECS: add
#     `no-new-privileges` to `dockerSecurityOptions`).
package posture.rules.wkl_031

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s allows privilege escalation", [c.name, workload.label]),
	"path": workload.container_path(c, "allowPrivilegeEscalation"),
	"evidence": object.get(c, "allowPrivilegeEscalation", null),
} if {
	workload.is_workload
	not workload.is_windows
	some c in workload.containers
	object.get(c, "allowPrivilegeEscalation", null) != false
}
