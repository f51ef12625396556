# METADATA
# title: Containers have a CPU limit
# description: >-
#   Without a CPU limit a container may take every core of the node. A limit on the whole workload (ECS
#   task `cpu`, Kubernetes pod-level `resources.limits.cpu`) or on the container (Kubernetes
#   `resources.limits.cpu`) counts; an ECS container's `cpu` and a Kubernetes CPU request are relative
#   shares, not limits. Fargate-only ECS tasks always have a task limit. Ephemeral debug containers cannot
#   set resources, and ECS Windows tasks (where task-level CPU is ignored) are not judged. A namespace
#   LimitRange default is not seen here.
# custom:
#   id: WKL-011
#   severity: low
#   kind: [workload]
#   requires: [workload.containers]
#   frameworks:
#     nsa-cisa-k8s-1.2: ["network/resource-policies"]
#     nist-800-53-r5: ["SC-6"]
#     owasp-docker-top10: ["D07"]
#     nist-800-190: ["4.4.3"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Set `cpu` on the ECS task definition; on Kubernetes set `resources.limits.cpu` on every container (or
#     a LimitRange default in the namespace).
package posture.rules.wkl_011

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s has no CPU limit, and the workload has none either", [c.name, workload.label]),
	"path": workload.container_path(c, "cpuLimitMillicores"),
	"evidence": {"workloadCpuMillicores": null, "containerCpuMillicores": null},
} if {
	workload.is_workload
	not ecs_windows
	not fargate_only
	object.get(input.workload, "cpuLimitMillicores", null) == null
	some c in workload.containers
	object.get(c, "role", "app") != "ephemeral"
	object.get(c, "cpuLimitMillicores", null) == null
}

ecs_windows if {
	input.workload.platform == "ecs"
	workload.is_windows
}

fargate_only if {
	required := object.get(input.workload, "compatibilities", [])
	count(required) > 0
	every r in required {
		r == "FARGATE"
	}
}
