package posture.rules.img_003_test

import data.posture.rules.img_003
import rego.v1

now := {"now": "2026-11-01T00:00:00Z"}

# CVE-2023-4911 (glibc, Debian DSA-5514-1: fixed in 2.36-9+deb12u3 for bookworm; CVSS 3.1 7.8).
looney := {
	"id": "CVE-2023-4911", "aliases": ["CVE-2023-4911", "DSA-5514-1"],
	"package": {"name": "libc6", "version": "2.36-9+deb12u1", "ecosystem": "Debian:12"},
	"fixedVersion": "2.36-9+deb12u3", "fixAvailable": true, "severity": "high", "score": 7.8,
	"layer": 0, "layerKind": "base", "published": "2023-10-03T18:15:10Z",
}

unfixed := object.union(looney, {"id": "CVE-2099-0001", "fixedVersion": null, "fixAvailable": false})

critical := object.union(looney, {"id": "CVE-2021-44228", "severity": "critical", "published": "2026-10-20T00:00:00Z"})

image_with(vulns) := {"id": "oci://x", "kind": "image", "image": {"vulnerabilities": vulns}}

test_fixable_high_fails_at_the_default_threshold if {
	some v in img_003.violation with input as image_with([looney]) with data.runtime as now
	v.path == "vulnerabilities/CVE-2023-4911/Debian:12/libc6"
	v.severity == "high"
	v.evidence.fixedVersion == "2.36-9+deb12u3"
	v.evidence.failedBy == ["threshold"]
}

test_unfixed_does_not_fail_when_only_fixable_count if {
	count(img_003.violation) == 0 with input as image_with([unfixed]) with data.runtime as now
}

test_unfixed_fails_when_fixes_are_not_required if {
	count(img_003.violation) == 1 with input as image_with([unfixed]) with data.runtime as now
		with data.config as {"image": {"vulnerabilities": {"fixableOnly": false}}}
}

test_threshold_comes_from_config if {
	count(img_003.violation) == 0 with input as image_with([looney]) with data.runtime as now
		with data.config as {"image": {"vulnerabilities": {"failOn": "critical"}}}
}

test_old_fixable_critical_fails_even_when_the_threshold_is_off if {
	old := object.union(critical, {"published": "2021-12-10T00:00:00Z"})
	some v in img_003.violation with input as image_with([old]) with data.runtime as now
		with data.config as {"image": {"vulnerabilities": {"failOn": "off", "maxFixableCriticalAgeDays": 30}}}
	v.evidence.failedBy == ["critical-age"]
}

test_recent_fixable_critical_within_age_passes_when_threshold_is_off if {
	count(img_003.violation) == 0 with input as image_with([critical]) with data.runtime as now
		with data.config as {"image": {"vulnerabilities": {"failOn": "off", "maxFixableCriticalAgeDays": 30}}}
}

test_suppressed_vulnerability_passes if {
	vexed := object.union(looney, {"suppressed": {"by": "vex", "reason": "not_affected"}})
	count(img_003.violation) == 0 with input as image_with([vexed]) with data.runtime as now
}

test_one_finding_per_vulnerability_and_package if {
	other := object.union(looney, {"package": {"name": "libc-bin", "version": "2.36-9+deb12u1", "ecosystem": "Debian:12"}})
	count(img_003.violation) == 2 with input as image_with([looney, other]) with data.runtime as now
}

test_image_without_matching_has_no_findings if {
	count(img_003.violation) == 0 with input as {"id": "oci://x", "kind": "image", "image": {}} with data.runtime as now
}
