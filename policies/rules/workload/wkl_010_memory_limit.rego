# METADATA
# title: ECS tasks on EC2 have a hard memory limit
# description: >-
#   Without a task-level `memory` and a container-level hard `memory` limit, a container on an
#   EC2 (or external) instance may use all of the host's memory and starve its neighbours;
#   `memoryReservation` is only a soft limit. Fargate always has a task limit.
# custom:
#   id: ECS-010
#   severity: medium
#   kind: [workload]
#   applies:
#     provider: [aws]
#     platform: [ecs]
#   frameworks:
#     cis-docker-1.6: ["5.11"]
#     nist-800-53-r5: ["SC-6"]
#     owasp-docker-top10: ["D07"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Set `memory` on the task definition, or a hard `memory` limit on each container definition.
package posture.rules.ecs_010

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("container %s in task definition %s has no hard memory limit and the task has none either", [c.name, input.workload.name]),
	"path": sprintf("containers/%s/memoryLimitMiB", [c.name]),
	"evidence": {"taskMemoryMiB": null, "containerMemoryMiB": null},
} if {
	aws.is_ecs_workload(input)
	not fargate_only
	object.get(input.workload, "memoryLimitMiB", null) == null
	some c in input.workload.containers
	object.get(c, "memoryLimitMiB", null) == null
}

# requiresCompatibilities FARGATE alone: the API rejects a task without memory, so no gap.
fargate_only if {
	required := object.get(aws.task_definition(input), "requiresCompatibilities", null)
	is_array(required)
	count(required) > 0
	every r in required {
		r == "FARGATE"
	}
}
