# METADATA
# title: ECS containers have a log configuration
# description: >-
#   Every container definition needs `logConfiguration.logDriver` so its output reaches a log
#   store (CloudWatch via awslogs, FireLens, splunk, …). Absent means the task's output is only
#   on the host's Docker daemon, or nowhere on Fargate.
# custom:
#   id: ECS-007
#   severity: high
#   kind: [workload]
#   applies:
#     provider: [aws]
#     platform: [ecs]
#   requires: [workload.containers]
#   frameworks:
#     aws-fsbp: ["ECS.9"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     pci-dss-4.0: ["10.2.1", "10.2.2", "10.3.1"]
#     disa-k8s-stig: ["V-242461"]
#     owasp-docker-top10: ["D10"]
#   unverified: [nist-800-53-r5, disa-k8s-stig, owasp-docker-top10]
#   remediation: >-
#     Add a `logConfiguration` to each container definition, e.g. the awslogs driver with an
#     `awslogs-group`, or route logs through FireLens.
package posture.rules.ecs_007

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("container %s in task definition %s has no log driver", [c.name, input.workload.name]),
	"path": sprintf("containers/%s/logging", [c.name]),
	"evidence": object.get(c, "logging", null),
} if {
	aws.is_ecs_workload(input)
	some c in input.workload.containers
	not has_driver(c)
}

has_driver(c) if trim_space(c.logging.driver) != ""
