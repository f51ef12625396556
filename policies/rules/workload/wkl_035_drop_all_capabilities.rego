# METADATA
# title: Containers drop all capabilities
# description: >-
#   The Pod Security Standards' Restricted profile requires every container to drop ALL capabilities and
#   add back at most NET_BIND_SERVICE (Kubernetes `securityContext.capabilities`, ECS
#   `linuxParameters.capabilities`). Capabilities beyond the runtime's default set are judged by WKL-008;
#   this rule fails a container that keeps the default set (no `drop: [ALL]`) or adds back one of its
#   members other than NET_BIND_SERVICE. Windows workloads are exempt.
# custom:
#   id: WKL-035
#   severity: medium
#   kind: [workload]
#   requires: [workload.containers.capabilities]
#   frameworks:
#     k8s-pss: ["capabilities_restricted"]
#     cis-k8s-1.12: ["5.2.8", "5.2.9"]
#     nsa-cisa-k8s-1.2: ["pod-security/enforcement"]
#     cis-docker-1.6: ["5.4"]
#   unverified: [cis-docker-1.6, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Set `capabilities: {drop: [ALL]}` and add back only NET_BIND_SERVICE if the process binds a port
#     below 1024.
package posture.rules.wkl_035

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s %s", [c.name, workload.label, p.what]),
	"path": workload.container_path(c, p.field),
	"evidence": p.evidence,
} if {
	workload.is_workload
	not workload.is_windows
	some c in workload.containers
	some p in problems(c)
}

problems(c) := array.concat(drop_problems(c), add_problems(c))

drop_problems(c) := [{"field": "capabilities/drop", "what": "does not drop all capabilities", "evidence": dropped}] if {
	dropped := object.get(c, ["capabilities", "drop"], [])
	not "ALL" in {workload.capability(d) | some d in dropped}
} else := []

add_problems(c) := [{"field": "capabilities/add", "what": sprintf("adds back capabilities %s", [concat(", ", added)]), "evidence": added}] if {
	added := sort([cap |
		some a in object.get(c, ["capabilities", "add"], [])
		cap := workload.capability(a)
		cap in workload.default_capabilities
		cap != "NET_BIND_SERVICE"
	])
	count(added) > 0
} else := []
