# METADATA
# title: Containers keep a seccomp profile
# description: >-
#   A seccomp profile of type Unconfined (Kubernetes `seccompProfile.type`, container or pod; ECS
#   `dockerSecurityOptions: seccomp:unconfined`) lets the container make every system call, including
#   the ones the runtime's default profile blocks because they lead to kernel exploits. RuntimeDefault,
#   Localhost and unset pass here; WKL-034 requires a profile to be set.
# custom:
#   id: WKL-025
#   aliases: [ECS-008]
#   severity: medium
#   kind: [workload]
#   requires: [workload.containers]
#   frameworks:
#     k8s-pss: ["seccompProfile_baseline", "seccompProfile_restricted"]
#     nsa-cisa-k8s-1.2: ["pod-security/container-environments"]
#     cis-docker-1.6: ["5.22"]
#     nist-800-53-r5: ["SC-39"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove the Unconfined seccomp setting; set `seccompProfile.type: RuntimeDefault` (or a reviewed
#     Localhost profile).
package posture.rules.wkl_025

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s runs without seccomp filtering", [c.name, workload.label]),
	"path": workload.container_path(c, "seccompProfile"),
	# As ECS-008 the same problem was one finding on the container's dockerSecurityOptions.
	"aliasPath": workload.container_path(c, "dockerSecurityOptions"),
	"evidence": c.seccompProfile.type,
} if {
	workload.is_workload
	some c in workload.containers
	lower(object.get(c, ["seccompProfile", "type"], "")) == "unconfined"
}
