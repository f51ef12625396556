# METADATA
# title: ECS containers keep minimal kernel privileges
# description: >-
#   Fails when `linuxParameters.capabilities.add` grants ALL, SYS_ADMIN, NET_ADMIN, SYS_PTRACE,
#   SYS_MODULE or DAC_READ_SEARCH; when `linuxParameters.devices` maps any host device; or when
#   `dockerSecurityOptions` turns off seccomp or AppArmor (`seccomp:unconfined`,
#   `apparmor:unconfined`) or SELinux labelling (`label:disable`).
# custom:
#   id: ECS-008
#   severity: high
#   kind: [workload]
#   applies:
#     provider: [aws]
#     platform: [ecs]
#   frameworks:
#     cis-docker-1.6: ["5.4", "5.18", "5.2", "5.3", "5.22"]
#     nist-800-53-r5: ["AC-6", "SC-39"]
#     pci-dss-4.0: ["2.2.1"]
#     owasp-docker-top10: ["D04"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Drop the added capabilities (add back only a narrow one the process needs, e.g.
#     NET_BIND_SERVICE), remove host device mappings, and keep the default seccomp, AppArmor and
#     SELinux confinement.
package posture.rules.ecs_008

import data.posture.lib.aws
import rego.v1

dangerous_capabilities := {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH"}

unconfined_options := {"seccomp:unconfined", "apparmor:unconfined", "label:disable"}

violation contains {
	"msg": sprintf("container %s in task definition %s adds kernel capabilities %s", [c.name, input.workload.name, concat(", ", caps)]),
	"path": sprintf("containers/%s/capabilities/add", [c.name]),
	"evidence": caps,
} if {
	aws.is_ecs_workload(input)
	some c in input.workload.containers
	caps := sort([cap |
		some added in object.get(c, ["capabilities", "add"], [])
		cap := trim_prefix(upper(trim_space(added)), "CAP_")
		cap in dangerous_capabilities
	])
	count(caps) > 0
}

violation contains {
	"msg": sprintf("container %s in task definition %s maps host devices %s", [c.name, input.workload.name, concat(", ", devices)]),
	"path": sprintf("containers/%s/devices", [c.name]),
	"evidence": devices,
} if {
	aws.is_ecs_workload(input)
	some c in input.workload.containers
	def := aws.container_definition(input, c.name)
	devices := sort([object.get(d, "hostPath", "(unnamed)") | some d in object.get(def, ["linuxParameters", "devices"], [])])
	count(devices) > 0
}

violation contains {
	"msg": sprintf("container %s in task definition %s disables confinement with %s", [c.name, input.workload.name, concat(", ", options)]),
	"path": sprintf("containers/%s/dockerSecurityOptions", [c.name]),
	"evidence": options,
} if {
	aws.is_ecs_workload(input)
	some c in input.workload.containers
	def := aws.container_definition(input, c.name)
	options := sort([option |
		some option in object.get(def, "dockerSecurityOptions", [])
		replace(lower(trim_space(option)), "=", ":") in unconfined_options
	])
	count(options) > 0
}
