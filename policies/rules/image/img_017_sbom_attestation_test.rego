package posture.rules.img_017_test

import data.posture.rules.img_017
import rego.v1

image_with(attestations) := {
	"id": "oci://r.example/app@sha256:1",
	"kind": "image",
	"image": {"attestations": attestations, "supplyChain": {"policy": "release", "sbom": true}},
}

sbom(verified) := {"verified": verified, "predicateType": "https://spdx.dev/Document", "provenance": null, "sbom": {"format": "spdx"}, "problem": {"code": "untrusted-key", "message": "x"}}

test_verified_sbom_passes if {
	count(img_017.violation) == 0 with input as image_with([sbom(true)])
}

test_unverified_sbom_fails_naming_it if {
	some v in img_017.violation with input as image_with([sbom(false)])
	contains(v.msg, "rejected: https://spdx.dev/Document (untrusted-key)")
}

test_no_sbom_fails if {
	count(img_017.violation) == 1 with input as image_with([])
}
