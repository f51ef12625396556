package posture.rules.img_008_test

import data.posture.rules.img_008
import rego.v1

image_with(labels, annotations) := {
	"id": "oci://r.example/app@sha256:1",
	"kind": "image",
	"image": {"config": {"labels": labels}},
	"raw": {"manifest": {"annotations": annotations}},
}

source := {"org.opencontainers.image.source": "https://github.com/example/app"}

revision := {"org.opencontainers.image.revision": "4b984b1"}

test_labels_pass if {
	count(img_008.violation) == 0 with input as image_with(object.union(source, revision), {})
}

test_manifest_annotations_count_too if {
	count(img_008.violation) == 0 with input as image_with(source, revision)
}

test_missing_revision_fails if {
	violations := img_008.violation with input as image_with(source, {})
	count(violations) == 1
	some v in violations
	v.path == "config/labels/org.opencontainers.image.revision"
}

test_no_labels_and_no_manifest_annotations_fail_twice if {
	count(img_008.violation) == 2 with input as {"id": "i", "kind": "image", "image": {"config": {"labels": {}}}, "raw": {}}
}

test_empty_label_value_fails if {
	count(img_008.violation) == 1 with input as image_with(object.union(source, {"org.opencontainers.image.revision": " "}), {})
}
