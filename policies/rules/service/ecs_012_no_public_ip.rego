# METADATA
# title: ECS services do not auto-assign public IP addresses
# description: >-
#   `networkConfiguration.awsvpcConfiguration.assignPublicIp: ENABLED` on a service, or on any of
#   its task sets, gives each task a public address that the internet can reach directly (only
#   its security group stands in between).
# custom:
#   id: ECS-012
#   severity: high
#   kind: [service]
#   applies:
#     provider: [aws]
#   requires: [raw.service]
#   frameworks:
#     aws-fsbp: ["ECS.2", "ECS.16"]
#     nist-800-53-r5: ["AC-21", "AC-3", "AC-3(7)", "AC-4", "AC-4(21)", "AC-6", "SC-7", "SC-7(3)", "SC-7(4)", "SC-7(9)", "SC-7(11)", "SC-7(16)", "SC-7(20)", "SC-7(21)"]
#     pci-dss-4.0: ["1.3.1", "1.4.4"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.4.2"]
#   unverified: [pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Set `assignPublicIp: DISABLED`, run the tasks in private subnets with a NAT gateway or VPC
#     endpoints for egress, and expose them through a load balancer.
package posture.rules.ecs_012

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("ECS service %s assigns public IP addresses to its tasks", [input.service.name]),
	"path": "networkConfiguration/assignPublicIp",
	"evidence": "ENABLED",
} if {
	aws.is_ecs_service(input)
	service_public
}

violation contains {
	"msg": sprintf("task set %s of ECS service %s assigns public IP addresses to its tasks", [id, input.service.name]),
	"path": sprintf("taskSets/%s/networkConfiguration/assignPublicIp", [id]),
	"evidence": "ENABLED",
} if {
	aws.is_ecs_service(input)
	some task_set in object.get(input, ["raw", "service", "taskSets"], [])
	object.get(task_set, ["networkConfiguration", "awsvpcConfiguration", "assignPublicIp"], "DISABLED") == "ENABLED"
	id := object.get(task_set, "id", object.get(task_set, "taskSetArn", "(unnamed)"))
}

# The service's own setting from DescribeServices; the normalized flag (which also folds in task
# sets, reported on their own path above) only when the raw element was not collected.
service_public if {
	raw := input.raw.service
	is_object(raw)
	object.get(raw, ["networkConfiguration", "awsvpcConfiguration", "assignPublicIp"], "DISABLED") == "ENABLED"
}

service_public if {
	not is_object(object.get(input, ["raw", "service"], null))
	input.service.publicIp == true
}
