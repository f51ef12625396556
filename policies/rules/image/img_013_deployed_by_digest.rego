# METADATA
# title: Workload images are pinned by digest
# description: >-
#   A tag can be moved to other content after review; a digest cannot. Fails for each container
#   whose image reference has no @sha256:<64 hex> digest (a tag only, an implied :latest, or
#   an explicit :latest).
# custom:
#   id: IMG-013
#   severity: medium
#   kind: [workload]
#   requires: [workload.containers.image]
#   frameworks:
#     nist-800-53-r5: ["CM-2"]
#     owasp-docker-top10: ["D09"]
#     nist-800-190: ["4.2.2"]
#   unverified: ["nist-800-53-r5", "owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     Reference images as repository@sha256:<digest> (resolve the tag in CI, e.g. with
#     `crane digest`, and write the digest into the task definition or manifest); keep tags for
#     humans only.
package posture.rules.img_013

import data.posture.lib.image
import rego.v1

pinned(ref) if image.pinned_by_digest(ref)

violation contains {
	"msg": sprintf("container %s runs %s, which is not pinned by digest", [container.name, container.image]),
	"path": sprintf("containers/%s/image", [container.name]),
	"evidence": {"image": container.image, "tag": tag, "latest": tag in {"", "latest"}},
} if {
	input.kind == "workload"
	some container in input.workload.containers
	not pinned(container.image)
	tag := image.name_tag(container.image)
}
