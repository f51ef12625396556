package lib.posture

pod := input.review.object

containers[c] {
	c := pod.spec.containers[_]
}

containers[c] {
	c := pod.spec.initContainers[_]
}

containers[c] {
	c := pod.spec.ephemeralContainers[_]
}

# Containers that hold resources: ephemeral (debug) containers take none.
resource_containers[c] {
	c := pod.spec.containers[_]
}

resource_containers[c] {
	c := pod.spec.initContainers[_]
}

is_windows {
	pod.spec.os.name == "windows"
}

capability(name) = out {
	out := trim_prefix(upper(trim_space(name)), "CAP_")
}

# The runtime's default capability set (containerd and CRI-O), as the WKL rules define it.
default_capabilities := {
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}
