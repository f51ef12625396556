# Workload helpers shared by the WKL-* rules, which judge ECS task definitions and Kubernetes pod specs
# alike through the normalized workload (core/asset.ts). Normalized container fields hold effective
# values (Kubernetes container settings already override pod settings); `null` means "not set".
package posture.lib.workload

import rego.v1

is_workload if input.kind == "workload"

is_kubernetes if {
	input.kind == "workload"
	input.workload.platform == "kubernetes"
}

# How a finding names the workload: "Deployment shop/web" or "task definition web".
label := sprintf("%s %s/%s", [k.kind, k.namespace, input.workload.name]) if {
	k := input.workload.kubernetes
	is_object(k)
} else := sprintf("task definition %s", [input.workload.name])

# Every container: app, init (sidecars included) and ephemeral, as the Pod Security Standards judge them.
containers := object.get(input, ["workload", "containers"], [])

# Linux or Windows: ECS runtimePlatform.operatingSystemFamily (WINDOWS_SERVER_*), Kubernetes spec.os.name.
is_windows if {
	family := input.workload.osFamily
	is_string(family)
	startswith(upper(family), "WINDOWS")
}

# The pod runs in its own user namespace (Kubernetes hostUsers: false); the Pod Security Standards relax
# the root and /proc checks for it from v1.35.
in_user_namespace if input.workload.hostUsers == false

# A capability as the runtime spells it: upper case, without CAP_.
capability(name) := trim_prefix(upper(trim_space(name)), "CAP_")

container_path(c, field) := sprintf("containers/%s/%s", [c.name, field])

# The container runtimes' default capability set as the Pod Security Standards' Baseline lists it
# (Docker's default minus NET_RAW): adding one of these is allowed by Baseline, not by Restricted.
default_capabilities := {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}
