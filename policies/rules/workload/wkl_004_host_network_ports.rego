# METADATA
# title: ECS tasks use neither the host network nor privileged host ports
# description: >-
#   `networkMode: host` puts the containers in the EC2 host's network namespace. In bridge (or
#   Windows default/NAT) mode, a `portMappings[].hostPort` below 1024 binds a privileged port on
#   the host. In awsvpc mode ports live on the task's own network interface, so they are not
#   host ports; hostPort 0 means a dynamic port.
# custom:
#   id: ECS-004
#   severity: high
#   kind: [workload]
#   applies:
#     provider: [aws]
#     platform: [ecs]
#   frameworks:
#     cis-docker-1.6: ["5.10", "5.8"]
#     aws-fsbp: ["ECS.17"]
#     nist-800-53-r5: ["AC-2(1)", "AC-3", "AC-3(7)", "AC-3(15)", "AC-5", "AC-6"]
#     pci-dss-4.0: ["7.2.1", "7.2.2", "7.2.3"]
#     disa-k8s-stig: ["V-242414"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Use the awsvpc network mode (or bridge) instead of host, and map container ports to host
#     ports of 1024 or above (or 0 for a dynamic port) behind a load balancer.
package posture.rules.ecs_004

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("task definition %s uses the host network mode", [input.workload.name]),
	"path": "networkMode",
	"evidence": object.get(input.workload, "networkMode", "host"),
} if {
	aws.is_ecs_workload(input)
	input.workload.hostNetwork == true
}

violation contains {
	"msg": sprintf("container %s in task definition %s binds privileged host ports %s", [c.name, input.workload.name, concat(", ", [sprintf("%d", [p]) | some p in ports])]),
	"path": sprintf("containers/%s/hostPorts", [c.name]),
	"evidence": ports,
} if {
	aws.is_ecs_workload(input)
	not object.get(input.workload, "networkMode", null) in {"awsvpc", "none"}
	some c in input.workload.containers
	ports := sort([p | some p in object.get(c, "hostPorts", []); p > 0; p < 1024])
	count(ports) > 0
}
