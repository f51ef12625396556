package posture.rules.img_010_test

import data.posture.rules.img_010
import rego.v1

image_created(created) := {"id": "oci://x", "kind": "image", "image": {"config": {"created": created}}}

now := {"now": "2026-11-01T00:00:00Z"}

test_recent_image_passes if {
	count(img_010.violation) == 0 with input as image_created("2026-10-01T12:00:00Z") with data.runtime as now
}

test_old_image_fails_with_its_age if {
	some v in img_010.violation with input as image_created("2026-06-01T00:00:00Z") with data.runtime as now
	v.evidence.ageDays == 153
	v.evidence.maxAgeDays == 90
}

test_threshold_comes_from_config if {
	count(img_010.violation) == 1 with input as image_created("2026-10-01T12:00:00Z") with data.runtime as now
		with data.config as {"image": {"maxAgeDays": 7}}
}

test_offsets_and_fractions_are_parsed if {
	count(img_010.violation) == 1 with input as image_created("2025-01-01T10:00:00.123456789+02:00") with data.runtime as now
}

test_missing_created_is_not_judged if {
	count(img_010.violation) == 0 with input as image_created(null) with data.runtime as now
}

test_reproducible_build_epoch_is_not_judged if {
	count(img_010.violation) == 0 with input as image_created("1970-01-01T00:00:00Z") with data.runtime as now
}

test_malformed_created_is_not_judged if {
	count(img_010.violation) == 0 with input as image_created("last tuesday") with data.runtime as now
}

test_out_of_range_fields_are_not_judged if {
	count(img_010.violation) == 0 with input as image_created("2025-13-45T99:99:99Z") with data.runtime as now
	count(img_010.violation) == 0 with input as image_created("2016-12-31T23:59:60Z") with data.runtime as now
}
