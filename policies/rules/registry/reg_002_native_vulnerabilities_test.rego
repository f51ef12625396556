package posture.rules.reg_002_test

import data.posture.rules.reg_002
import rego.v1

# An Amazon Inspector finding (ECR enhanced scanning) for CVE-2023-4911 in glibc.
inspector := {
	"scanner": "inspector2", "id": "CVE-2023-4911", "aliases": [], "severity": "high",
	"packageName": "glibc", "packageVersion": "2.36-9+deb12u1", "fixedVersion": "2.36-9+deb12u3", "uri": null,
}

image_with(native) := {"id": "oci://x", "kind": "image", "image": {"nativeVulnerabilities": native}}

test_high_native_finding_fails_at_the_default_threshold if {
	some v in reg_002.violation with input as image_with([inspector])
	v.path == "native/inspector2/CVE-2023-4911/glibc"
	v.severity == "high"
	v.evidence.fixedVersion == "2.36-9+deb12u3"
}

test_below_threshold_passes if {
	count(reg_002.violation) == 0 with input as image_with([object.union(inspector, {"severity": "medium"})])
}

test_threshold_comes_from_config if {
	count(reg_002.violation) == 1 with input as image_with([object.union(inspector, {"severity": "medium"})])
		with data.config as {"image": {"vulnerabilities": {"nativeFailOn": "medium"}}}
	count(reg_002.violation) == 0 with input as image_with([inspector])
		with data.config as {"image": {"vulnerabilities": {"nativeFailOn": "off"}}}
}

test_basic_scan_finding_without_package if {
	basic := {"scanner": "ecr-basic", "id": "CVE-2023-5363", "aliases": [], "severity": "critical", "packageName": null, "packageVersion": null, "fixedVersion": null, "uri": null}
	some v in reg_002.violation with input as image_with([basic])
	v.path == "native/ecr-basic/CVE-2023-5363/(no package)"
}

test_no_native_results_no_findings if {
	count(reg_002.violation) == 0 with input as image_with([])
}
