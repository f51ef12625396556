# METADATA
# title: Containers run as a non-root, non-admin user
# description: >-
#   Each container must provably run as an unprivileged user. On Linux it fails when the user is root
#   (UID 0, `root`, `0:<group>`, `root:<group>`), or when nothing says who it runs as: no ECS `user`, and
#   no Kubernetes `runAsUser` nor `runAsNonRoot: true` (then the image's USER applies, root unless the
#   image says otherwise). Kubernetes `runAsNonRoot: true` without a UID passes: the kubelet refuses to
#   start the container as root. On Windows an unset user, `ContainerAdministrator` or `NT AUTHORITY\SYSTEM`
#   fails.
# custom:
#   id: WKL-003
#   aliases: [ECS-003]
#   severity: high
#   kind: [workload]
#   requires: [workload.containers]
#   frameworks:
#     cis-k8s-1.12: ["5.2.7"]
#     nsa-cisa-k8s-1.2: ["pod-security/non-root-containers"]
#     cis-docker-1.6: ["4.1"]
#     aws-fsbp: ["ECS.20", "ECS.21"]
#     nist-800-53-r5: ["AC-6"]
#     pci-dss-4.0: ["7.2.2"]
#     owasp-docker-top10: ["D01"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Run as an unprivileged UID: ECS `user: "10001:10001"`; Kubernetes `runAsNonRoot: true` and
#     `runAsUser: 10001` in the securityContext. On Windows use `ContainerUser`. Make sure the image works
#     as that user.
package posture.rules.wkl_003

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s runs as %s", [c.name, workload.label, shown(c)]),
	"path": workload.container_path(c, "user"),
	"evidence": object.get(c, "user", null),
} if {
	workload.is_workload
	some c in workload.containers
	admin(c)
}

unset(user) if user == null

unset(user) if trim_space(user) == ""

# Windows: the user name decides.
admin(c) if {
	workload.is_windows
	unset(object.get(c, "user", null))
}

admin(c) if {
	workload.is_windows
	user := object.get(c, "user", null)
	not unset(user)
	lower(trim_space(user)) in {"containeradministrator", "nt authority\\system"}
}

# Linux: an explicit UID 0 or root name fails even with runAsNonRoot (the kubelet then refuses to start it).
admin(c) if {
	not workload.is_windows
	object.get(c, "runAsUser", null) == 0
}

admin(c) if {
	not workload.is_windows
	user := object.get(c, "user", null)
	not unset(user)
	lower(split(trim_space(user), ":")[0]) in {"root", "0"}
}

# Linux: nothing says who the container runs as.
admin(c) if {
	not workload.is_windows
	unset(object.get(c, "user", null))
	object.get(c, "runAsUser", null) == null
	object.get(c, "runAsNonRoot", null) != true
}

shown(c) := "the image default user (no user set)" if {
	unset(object.get(c, "user", null))
	object.get(c, "runAsUser", null) == null
} else := "UID 0" if {
	object.get(c, "runAsUser", null) == 0
} else := c.user
