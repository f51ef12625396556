# METADATA
# title: Image runs as a non-root user by default
# description: >-
#   The image config's User must name a non-root account. An empty User, root, UID 0 (with any
#   group), or a name that /etc/passwd in the image resolves to UID 0 fails. On Windows images
#   an empty User or ContainerAdministrator fails. Name resolution needs the analyzed layers;
#   without them only the literal value is judged.
# custom:
#   id: IMG-001
#   severity: high
#   kind: [image]
#   requires: [image.contents.users]
#   frameworks:
#     cis-docker-1.6: ["4.1"]
#     nist-800-53-r5: ["AC-6"]
#     pci-dss-4.0: ["7.2.2"]
#     owasp-docker-top10: ["D01"]
#     nist-800-190: ["4.1.2"]
#   unverified: ["nist-800-53-r5", "pci-dss-4.0", "owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     Create an unprivileged user in the Dockerfile and end with `USER <name or uid>` (for
#     example `USER 10001:10001`); do not rely on the orchestrator to override it.
package posture.rules.img_001

import data.posture.lib.image
import rego.v1

user := input.image.config.user

# The user part of "user[:group]".
user_name := split(user, ":")[0]

windows if lower(input.image.platform.os) == "windows"

root_reason := "no USER is set, so the container runs as root" if {
	not windows
	user_name == ""
}

root_reason := "USER is root" if lower(user_name) == "root"

root_reason := "USER is UID 0" if {
	regex.match(`^[0-9]+$`, user_name)
	to_number(user_name) == 0
}

root_reason := sprintf("USER %s resolves to UID 0 in /etc/passwd", [user_name]) if {
	lower(user_name) != "root"
	some account in object.get(input.image, ["contents", "users"], [])
	account.name == user_name
	account.uid == 0
}

root_reason := "no USER is set, so the container runs as ContainerAdministrator" if {
	windows
	user_name == ""
}

root_reason := "USER is ContainerAdministrator" if {
	windows
	lower(user_name) == "containeradministrator"
}

violation contains {
	"msg": sprintf("image %s runs as root by default: %s", [input.id, root_reason]),
	"path": "config/user",
	"evidence": {"user": user},
} if {
	image.is_image
	root_reason
}
