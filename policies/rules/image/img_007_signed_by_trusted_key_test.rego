package posture.rules.img_007_test

import data.posture.rules.img_007
import rego.v1

signature(verified, problem) := {
	"format": "sigstore-bundle",
	"foundBy": "referrers-tag",
	"artifact": "sha256:aa",
	"subject": "sha256:1",
	"verified": verified,
	"signer": null,
	"problem": problem,
}

image_with(signatures) := {
	"id": "oci://r.example/app@sha256:1",
	"kind": "image",
	"image": {
		"signatures": signatures,
		"supplyChain": {"policy": "release", "discovery": [{"via": "referrers tag sha256-1", "found": count(signatures), "error": null}]},
	},
}

test_verified_signature_passes if {
	count(img_007.violation) == 0 with input as image_with([signature(true, null)])
}

test_one_verified_among_rejected_passes if {
	other := signature(false, {"code": "untrusted-key", "message": "another key"})
	count(img_007.violation) == 0 with input as image_with([other, signature(true, null)])
}

test_unsigned_fails_naming_where_it_looked if {
	some v in img_007.violation with input as image_with([])
	contains(v.msg, "has no signature (")
	contains(v.msg, "referrers tag sha256-1")
	v.evidence.found == 0
}

test_rejected_signatures_fail_with_their_reasons if {
	tampered := signature(false, {"code": "signature-invalid", "message": "altered"})
	wrong := signature(false, {"code": "untrusted-key", "message": "key hint xyz"})
	violations := img_007.violation with input as image_with([tampered, wrong])
	count(violations) == 1
	some v in violations
	contains(v.msg, "signature-invalid (altered)")
	contains(v.msg, "untrusted-key (key hint xyz)")
	{p.code | some p in v.evidence.problems} == {"signature-invalid", "untrusted-key"}
}

test_other_kinds_are_ignored if {
	count(img_007.violation) == 0 with input as {"id": "w", "kind": "workload", "image": {"signatures": []}}
}
