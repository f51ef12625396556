# METADATA
# title: Image analysis incomplete
# description: >-
#   The analyzer stopped or skipped part of the image (a hostile or broken layer, an unsupported
#   layer format, a budget or deadline, an unreadable blob), so rules that read the image contents
#   saw only part of it. Reported once per error code so partial coverage never reads as a pass.
#   Its severity is `image.incompleteAnalysisSeverity` (default high), so an image that could not
#   be read, for whatever reason, fails `--fail-on high` rather than passing it.
# custom:
#   id: IMG-014
#   severity: high
#   kind: [image]
#   requires: [image.scanErrors]
#   frameworks:
#     nist-800-190: ["4.1.1"]
#   unverified: ["nist-800-190"]
#   remediation: >-
#     Read the scan error messages: rebuild an image that trips a safety cap (too many files,
#     oversized layers), fix a corrupt or mis-digested blob in the registry, or raise the limit
#     if the image is legitimately large; then rescan.
package posture.rules.img_014

import data.posture.lib.image
import rego.v1

codes := {e.code | some e in input.image.scanErrors}

default severity := "high"

severity := image.config.image.incompleteAnalysisSeverity

violation contains {
	"msg": sprintf("analysis of image %s is incomplete (%s): %s", [input.id, code, messages[0]]),
	"path": sprintf("scanErrors/%s", [code]),
	"evidence": {"code": code, "count": count(messages), "messages": array.slice(messages, 0, 5)},
	"severity": severity,
} if {
	image.is_image
	some code in codes
	messages := sort({substring(e.message, 0, 300) | some e in input.image.scanErrors; e.code == code})
}
