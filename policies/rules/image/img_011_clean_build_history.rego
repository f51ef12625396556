# METADATA
# title: Build history follows Dockerfile hygiene
# description: >-
#   Fails for each build step that adds files from a remote URL (ADD http…), pipes a download
#   into a shell (curl/wget … | sh), runs apt-get update without installing in the same step
#   (stale package lists in a cached layer), or uses sudo; and when the declared base image is
#   unpinned or :latest.
# custom:
#   id: IMG-011
#   severity: low
#   kind: [image]
#   requires: [image.config.history]
#   frameworks:
#     cis-docker-1.6: ["4.7", "4.9", "4.11"]
#     nist-800-53-r5: ["CM-6", "SI-7"]
#     owasp-docker-top10: ["D04"]
#     nist-800-190: ["4.1.2"]
#   unverified: ["nist-800-53-r5", "owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     Download with a pinned checksum (`ADD --checksum=sha256:…` or curl then `sha256sum -c`),
#     combine `apt-get update && apt-get install` in one RUN, drop sudo (use USER), and pin the
#     base image by tag and digest.
package posture.rules.img_011

import data.posture.lib.image
import rego.v1

step_patterns := {
	"add-remote-url": `(?i)(^|\s)ADD\s+(--\S+\s+)*https?://`,
	"download-piped-to-shell": `(?i)\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(\S*/)?(ba|da|z|k|a)?sh\b`,
	"sudo": `(^|[\s;&|(])sudo\s`,
}

apt_update := `\bapt(-get)?\s+update\b`

apt_install := `\bapt(-get)?\s+(-\S+\s+)*(install|upgrade|dist-upgrade)\b`

findings(command) := {id |
	some id, pattern in step_patterns
	regex.match(pattern, command)
} | {"apt-get-update-alone" |
	regex.match(apt_update, command)
	not regex.match(apt_install, command)
}

# A command that also carries a credential is not repeated as evidence (IMG-002 reports it).
shown(command) := "(withheld: the step carries a credential, see IMG-002)" if {
	count(image.value_rules(command)) > 0
} else := substring(command, 0, 200)

violation contains {
	"msg": sprintf("image %s build step %d: %s", [input.id, i, finding]),
	"path": sprintf("config/history/%d/%s", [i, finding]),
	"evidence": {"step": i, "pattern": finding, "command": shown(step.createdBy)},
} if {
	image.is_image
	some i, step in input.image.config.history
	some finding in findings(step.createdBy)
}

base_key := "org.opencontainers.image.base.name"

violation contains {
	"msg": sprintf("image %s is built on %s, which is not pinned to a version", [input.id, base]),
	"path": sprintf("annotations/%s", [base_key]),
	"evidence": {"base": base},
} if {
	image.is_image
	base := image.annotation(base_key)
	not contains(base, "@sha256:")
	image.name_tag(base) in {"", "latest"}
}
