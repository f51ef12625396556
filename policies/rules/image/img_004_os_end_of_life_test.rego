package posture.rules.img_004_test

import data.posture.rules.img_004
import rego.v1

now := {"now": "2026-11-01T00:00:00Z"}

image_os(id, version) := {"id": "oci://x", "kind": "image", "image": {"contents": {"os": {"id": id, "versionId": version, "prettyName": null}}}}

test_debian_12_is_supported if {
	count(img_004.violation) == 0 with input as image_os("debian", "12") with data.runtime as now
}

test_debian_11_lts_ended_in_august_2026 if {
	some v in img_004.violation with input as image_os("debian", "11") with data.runtime as now
	v.evidence.endOfLife == "2026-08-31"
}

test_alpine_patch_release_uses_its_branch if {
	count(img_004.violation) == 1 with input as image_os("alpine", "3.18.4") with data.runtime as now
	count(img_004.violation) == 0 with input as image_os("alpine", "3.22.1") with data.runtime as now
}

test_rocky_minor_release_uses_its_major if {
	count(img_004.violation) == 0 with input as image_os("rocky", "9.4") with data.runtime as now
	count(img_004.violation) == 1 with input as image_os("centos", "7") with data.runtime as now
}

test_ubuntu_interim_release if {
	count(img_004.violation) == 1 with input as image_os("ubuntu", "23.10") with data.runtime as now
}

test_last_day_is_still_supported if {
	count(img_004.violation) == 0 with input as image_os("debian", "11") with data.runtime as {"now": "2026-08-31T12:00:00Z"}
}

test_unknown_release_is_not_judged if {
	count(img_004.violation) == 0 with input as image_os("debian", "99") with data.runtime as now
	count(img_004.violation) == 0 with input as image_os("plan9", "4") with data.runtime as now
}

test_image_without_os_is_not_judged if {
	count(img_004.violation) == 0 with input as {"id": "oci://x", "kind": "image", "image": {"contents": {"os": null}}} with data.runtime as now
}
