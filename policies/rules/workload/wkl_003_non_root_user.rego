# METADATA
# title: ECS containers run as a non-root, non-admin user
# description: >-
#   The container definition's `user` must name an unprivileged user. On Linux an unset user
#   (the image's USER applies, root unless the image says otherwise), `root`, `0`, `0:<group>`
#   or `root:<group>` fails; on Windows (`runtimePlatform.operatingSystemFamily` WINDOWS_*)
#   an unset user or `containeradministrator` fails.
# custom:
#   id: ECS-003
#   severity: high
#   kind: [workload]
#   applies:
#     provider: [aws]
#     platform: [ecs]
#   frameworks:
#     cis-docker-1.6: ["4.1"]
#     aws-fsbp: ["ECS.20", "ECS.21"]
#     nist-800-53-r5: ["AC-6"]
#     pci-dss-4.0: ["7.2.2"]
#     owasp-docker-top10: ["D01"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Set `user` in the container definition to an unprivileged UID:GID (Linux) or
#     `ContainerUser` (Windows), and make sure the image works as that user.
package posture.rules.ecs_003

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("container %s in task definition %s runs as %s", [c.name, input.workload.name, shown(user)]),
	"path": sprintf("containers/%s/user", [c.name]),
	"evidence": user,
} if {
	aws.is_ecs_workload(input)
	some c in input.workload.containers
	user := object.get(c, "user", null)
	admin(user)
}

unset(user) if user == null

unset(user) if trim_space(user) == ""

admin(user) if unset(user)

admin(user) if {
	not unset(user)
	aws.is_windows(input)
	lower(trim_space(user)) == "containeradministrator"
}

admin(user) if {
	not unset(user)
	not aws.is_windows(input)
	name := split(trim_space(user), ":")[0]
	lower(name) in {"root", "0"}
}

shown(user) := "the image default user (no user set)" if unset(user)

else := user
