# METADATA
# title: ECS tasks share neither the host PID nor the host IPC namespace
# description: >-
#   `pidMode: host` lets the containers see and signal every process on the EC2 host;
#   `ipcMode: host` shares the host's shared memory and semaphores. Absent means task-private
#   namespaces (the API default).
# custom:
#   id: ECS-005
#   severity: high
#   kind: [workload]
#   applies:
#     provider: [aws]
#     platform: [ecs]
#   frameworks:
#     cis-docker-1.6: ["5.16", "5.17"]
#     aws-fsbp: ["ECS.3"]
#     nist-800-53-r5: ["CA-9(1)", "CM-2"]
#     pci-dss-4.0: ["1.4.5"]
#     owasp-docker-top10: ["D05"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Remove `pidMode: host` and `ipcMode: host` from the task definition (use `task` when
#     containers of one task must share a namespace) and register a new revision.
package posture.rules.ecs_005

import data.posture.lib.aws
import rego.v1

namespaces := [
	{"flag": "hostPid", "path": "pidMode", "what": "PID"},
	{"flag": "hostIpc", "path": "ipcMode", "what": "IPC"},
]

violation contains {
	"msg": sprintf("task definition %s shares the host %s namespace", [input.workload.name, ns.what]),
	"path": ns.path,
	"evidence": "host",
} if {
	aws.is_ecs_workload(input)
	some ns in namespaces
	object.get(input.workload, ns.flag, false) == true
}
