# METADATA
# title: Containers have a hard memory limit
# description: >-
#   Without a memory limit a container may use all of the node's memory and starve its neighbours. A
#   limit on the whole workload (ECS task `memory`, Kubernetes pod-level `resources.limits.memory`) or on
#   the container (ECS container `memory`, Kubernetes `resources.limits.memory`) counts; a reservation or
#   request is only a soft limit. Fargate-only ECS tasks always have a task limit (the API requires one).
#   Ephemeral debug containers cannot set resources and are not judged. A namespace LimitRange default is
#   not seen here.
# custom:
#   id: WKL-010
#   aliases: [ECS-010]
#   severity: medium
#   kind: [workload]
#   requires: [workload.containers]
#   frameworks:
#     nsa-cisa-k8s-1.2: ["network/resource-policies"]
#     cis-docker-1.6: ["5.11"]
#     nist-800-53-r5: ["SC-6"]
#     owasp-docker-top10: ["D07"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Set `memory` on the ECS task definition or a hard `memory` on each container definition; on
#     Kubernetes set `resources.limits.memory` on every container (or a LimitRange default in the namespace).
package posture.rules.wkl_010

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s has no memory limit, and the workload has none either", [c.name, workload.label]),
	"path": workload.container_path(c, "memoryLimitMiB"),
	"evidence": {"workloadMemoryMiB": null, "containerMemoryMiB": null},
} if {
	workload.is_workload
	not fargate_only
	object.get(input.workload, "memoryLimitMiB", null) == null
	some c in workload.containers
	object.get(c, "role", "app") != "ephemeral"
	object.get(c, "memoryLimitMiB", null) == null
}

# ECS requiresCompatibilities FARGATE alone: the API rejects a task without memory, so no gap.
fargate_only if {
	required := object.get(input.workload, "compatibilities", [])
	count(required) > 0
	every r in required {
		r == "FARGATE"
	}
}
