package posture.rules.img_014_test

import data.posture.rules.img_014
import rego.v1

image_with(errors) := {"id": "oci://x", "kind": "image", "image": {"scanErrors": errors, "contents": null}}

test_complete_analysis_passes if {
	count(img_014.violation) == 0 with input as image_with([])
}

test_one_finding_per_error_code if {
	errors := [
		{"code": "path-traversal", "message": "layer 1: ../etc/passwd escapes the root"},
		{"code": "path-traversal", "message": "layer 2: ../../x escapes the root"},
		{"code": "too-many-files", "message": "layer 3 has more than 100000 files"},
	]
	violations := img_014.violation with input as image_with(errors)
	count(violations) == 2
	some v in violations
	v.path == "scanErrors/path-traversal"
	v.evidence.count == 2
}

test_severity_defaults_to_high_and_follows_config if {
	errors := [{"code": "unsupported-media-type", "message": "layer 0: zstd"}]
	some v in img_014.violation with input as image_with(errors)
	v.severity == "high"
	some w in img_014.violation with input as image_with(errors) with data.config as {"image": {"incompleteAnalysisSeverity": "critical"}}
	w.severity == "critical"
}
