# METADATA
# title: Package manager in the final image
# description: >-
#   A package manager left in a runtime image lets anyone with a foothold install tools, and
#   its metadata invites drift from the built image. Fails for each package-manager binary the
#   layer analyzers found; not judged when the layers were not analyzed.
# custom:
#   id: IMG-015
#   severity: low
#   kind: [image]
#   requires: [image.contents.packageManagers]
#   frameworks:
#     cis-docker-1.6: ["4.3"]
#     owasp-docker-top10: ["D04"]
#   unverified: ["cis-docker-1.6", "owasp-docker-top10"]
#   remediation: >-
#     Use a multi-stage build and copy only the application into a minimal or distroless base,
#     or remove the package manager in the last stage.
package posture.rules.img_015

import data.posture.lib.image
import rego.v1

violation contains {
	"msg": sprintf("image %s ships the package manager %s", [input.id, binary]),
	"path": sprintf("contents/packageManagers/%s", [trim_prefix(binary, "/")]),
	"evidence": {"binary": binary},
} if {
	image.is_image
	some binary in object.get(input.image, ["contents", "packageManagers"], [])
}
