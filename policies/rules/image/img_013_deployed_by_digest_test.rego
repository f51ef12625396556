package posture.rules.img_013_test

import data.posture.rules.img_013
import rego.v1

digest := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

workload_running(images) := {
	"id": "aws://1/eu-west-1/ecs/task-definition/web:1",
	"kind": "workload",
	"workload": {"containers": [{"name": sprintf("c%d", [i]), "image": img} | some i, img in images]},
}

test_digest_pinned_images_pass if {
	count(img_013.violation) == 0 with input as workload_running([
		concat("@", ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/web", digest]),
		concat("@", ["myacr.azurecr.io/api:1.4", digest]),
	])
}

test_tagged_image_fails if {
	some v in img_013.violation with input as workload_running(["myacr.azurecr.io/api:1.4"])
	v.path == "containers/c0/image"
	v.evidence.latest == false
}

test_implied_latest_fails_and_is_flagged if {
	some v in img_013.violation with input as workload_running(["localhost:5000/api"])
	v.evidence.latest == true
}

test_truncated_digest_fails if {
	count(img_013.violation) == 1 with input as workload_running(["nginx@sha256:abc"])
}

test_images_are_not_judged_here if {
	count(img_013.violation) == 0 with input as {"id": "oci://x", "kind": "image", "image": {}}
}
