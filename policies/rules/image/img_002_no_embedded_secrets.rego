# METADATA
# title: No secrets embedded in the image
# description: >-
#   Credentials baked into an image travel with every copy of it. Fails for an environment
#   variable with a credential-like name or a value in a known credential format, a build
#   argument or command in the build history that carries one, a label value in a known
#   credential format, and every secret the layer analyzers found in files (including files
#   deleted by a later layer). Evidence is a redacted hint, never the value.
# custom:
#   id: IMG-002
#   severity: critical
#   kind: [image]
#   requires: [image.contents.secrets]
#   frameworks:
#     cis-docker-1.6: ["4.10"]
#     nist-800-53-r5: ["IA-5(7)"]
#     pci-dss-4.0: ["8.6.2"]
#     disa-k8s-stig: ["V-242415"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.1.4"]
#   unverified: ["nist-800-53-r5", "pci-dss-4.0", "disa-k8s-stig", "owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     Rotate the exposed credential first. Then pass secrets at run time (a secrets manager,
#     mounted files) and at build time with BuildKit secret mounts (`RUN --mount=type=secret`),
#     never with ENV, ARG, LABEL or COPY.
package posture.rules.img_002

import data.posture.lib.image
import rego.v1

violation contains {
	"msg": sprintf("image %s sets environment variable %s to a credential (%s)", [input.id, env.name, concat(", ", sort(rules))]),
	"path": sprintf("config/env/%s", [env.name]),
	"evidence": {"name": env.name, "rules": sort(rules), "hint": image.redacted(env.value)},
} if {
	image.is_image
	some env in input.image.config.env
	rules := image.pair_rules(env.name, env.value)
	count(rules) > 0
}

violation contains {
	"msg": sprintf("image %s label %s holds a credential (%s)", [input.id, key, concat(", ", sort(rules))]),
	"path": sprintf("config/labels/%s", [key]),
	"evidence": {"label": key, "rules": sort(rules), "hint": image.redacted(value)},
} if {
	image.is_image
	some key, value in input.image.config.labels
	rules := image.value_rules(value)
	count(rules) > 0
}

# `NAME=value` pairs in a history step: build arguments show up as `|2 A=1 B=2 /bin/sh -c …`.
history_pairs(command) := [[m[1], m[2]] |
	some m in regex.find_all_string_submatch_n(`(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S+)`, command, -1)
]

history_rules(command) := rules if {
	by_pair := {rule |
		some pair in history_pairs(command)
		some rule in image.pair_rules(pair[0], trim(pair[1], `"'`))
	}
	rules := by_pair | image.value_rules(command)
}

history_names(command) := sort({pair[0] |
	some pair in history_pairs(command)
	count(image.pair_rules(pair[0], trim(pair[1], `"'`))) > 0
})

violation contains {
	"msg": sprintf("image %s build step %d carries a credential in its command (%s)", [input.id, i, concat(", ", sort(rules))]),
	"path": sprintf("config/history/%d", [i]),
	"evidence": {"step": i, "rules": sort(rules), "names": history_names(step.createdBy)},
} if {
	image.is_image
	some i, step in input.image.config.history
	rules := history_rules(step.createdBy)
	count(rules) > 0
}

file_secrets := object.get(input.image, ["contents", "secrets"], [])

# One finding per file and rule, however many layers hold a copy.
file_hits := {[found.path, found.rule] | some found in file_secrets}

violation contains {
	"msg": sprintf("image %s contains a secret in %s (%s)%s", [input.id, file, rule, deleted_note(copies)]),
	"path": sprintf("contents/%s/%s", [trim_prefix(file, "/"), rule]),
	"evidence": {
		"file": file,
		"rules": [rule],
		"hint": sort({c.hint | some c in copies})[0],
		"layers": sort({l | some c in copies; l := c.layer}),
		"inFinalFilesystem": in_final(copies),
	},
} if {
	image.is_image
	some [file, rule] in file_hits
	copies := [c | some c in file_secrets; c.path == file; c.rule == rule]
}

# Absent means the analyzer did not say; only an explicit false marks a deleted copy.
in_final(copies) if {
	some c in copies
	object.get(c, "inFinalFilesystem", true) == true
}

else := false

deleted_note(copies) := "" if in_final(copies)

else := ", deleted by a later layer but still extractable from the image"
