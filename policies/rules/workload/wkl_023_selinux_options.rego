# METADATA
# title: Containers keep the container SELinux types
# description: >-
#   SELinux options may only pick one of the container types the policy ships (container_t,
#   container_init_t, container_kvm_t, container_engine_t) and a level; a custom type (such as the
#   unconfined spc_t, which ECS `dockerSecurityOptions: label:disable` runs as) or any custom user or role
#   lifts the container's confinement. Read from Kubernetes `seLinuxOptions` (container or pod) and ECS
#   `label:` security options.
# custom:
#   id: WKL-023
#   aliases: [ECS-008]
#   severity: medium
#   kind: [workload]
#   requires: [workload.containers]
#   frameworks:
#     k8s-pss: ["seLinuxOptions"]
#     nsa-cisa-k8s-1.2: ["pod-security/container-environments"]
#     cis-docker-1.6: ["5.3"]
#     nist-800-53-r5: ["SC-39"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove the custom SELinux user, role and type (and ECS `label:disable`); set only a level
#     (`s0:c123,c456`) when the workload needs its own MCS category.
package posture.rules.wkl_023

import data.posture.lib.workload
import rego.v1

allowed_types := {"container_t", "container_init_t", "container_kvm_t", "container_engine_t"}

violation contains {
	"msg": sprintf("container %s in %s sets custom SELinux options (%s)", [c.name, workload.label, concat(", ", problems)]),
	"path": workload.container_path(c, "seLinuxOptions"),
	# As ECS-008 the same problem was one finding on the container's dockerSecurityOptions.
	"aliasPath": workload.container_path(c, "dockerSecurityOptions"),
	"evidence": c.seLinuxOptions,
} if {
	workload.is_workload
	some c in workload.containers
	options := object.get(c, "seLinuxOptions", null)
	is_object(options)
	problems := sort([sprintf("%s %s", [field, options[field]]) |
		some field in ["type", "user", "role"]
		custom(field, object.get(options, field, null))
	])
	count(problems) > 0
}

custom("type", value) if {
	is_string(value)
	value != ""
	not value in allowed_types
}

custom(field, value) if {
	field in {"user", "role"}
	is_string(value)
	value != ""
}
