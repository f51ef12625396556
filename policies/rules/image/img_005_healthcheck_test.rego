package posture.rules.img_005_test

import data.posture.rules.img_005
import rego.v1

image_with(healthcheck) := {"id": "oci://r.example/app@sha256:1", "kind": "image", "image": {"config": {"healthcheck": healthcheck}}}

test_healthcheck_command_passes if {
	count(img_005.violation) == 0 with input as image_with(["CMD-SHELL", "curl -fsS http://localhost:8080/healthz || exit 1"])
}

test_absent_healthcheck_fails if {
	some v in img_005.violation with input as image_with(null)
	v.path == "config/healthcheck"
}

test_disabled_healthcheck_fails if {
	count(img_005.violation) == 1 with input as image_with(["NONE"])
}
