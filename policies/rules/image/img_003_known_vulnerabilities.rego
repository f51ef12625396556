# METADATA
# title: Image has no fixable known vulnerabilities above the threshold
# description: >-
#   Judges each vulnerability matched against the OSV database (one finding per image, vulnerability and
#   package). Fails when its severity is at or above image.vulnerabilities.failOn and a fixed version
#   exists (or regardless of a fix when fixableOnly is false), and when a fixable critical was published
#   more than image.vulnerabilities.maxFixableCriticalAgeDays ago. Vulnerabilities a VEX statement or
#   an exception marks as not affecting the image pass. Images whose packages were not matched (no
#   database, no layers: no image.vulnerabilities) are not evaluated.
# custom:
#   id: IMG-003
#   severity: high
#   kind: [image]
#   requires: [image.vulnerabilities]
#   frameworks:
#     cis-docker-1.6: ["4.4"]
#     nist-800-53-r5: ["RA-5", "SI-2"]
#     pci-dss-4.0: ["6.3.3", "11.3.1"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.1.1"]
#   unverified: ["pci-dss-4.0", "owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     Rebuild the image with the fixed package versions (update the base image for base-layer packages,
#     the lockfile or requirements for application packages) and redeploy. Accept a risk with an
#     expiring exception naming the vulnerability id, or a VEX statement when the code is not reachable.
package posture.rules.img_003

import data.posture.lib.image
import rego.v1

policy := object.get(image.config, ["image", "vulnerabilities"], {})

fail_on := object.get(policy, "failOn", "high")

fixable_only := object.get(policy, "fixableOnly", true)

max_critical_age := object.get(policy, "maxFixableCriticalAgeDays", 30)

rank := {"critical": 4, "high": 3, "medium": 2, "low": 1, "unknown": 0}

# Finding severities have no "unknown": such a vulnerability is reported as low.
finding_severity := {"critical": "critical", "high": "high", "medium": "medium", "low": "low", "unknown": "low"}

ns_per_day := ((24 * 60) * 60) * 1000000000

rfc3339 := `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`

age_days(published) := floor((time.parse_rfc3339_ns(data.runtime.now) - time.parse_rfc3339_ns(published)) / ns_per_day) if {
	is_string(published)
	regex.match(rfc3339, published)
}

live(v) if not v.suppressed

reasons(v) := {r |
	some r in {"threshold", "critical-age"}
	failing(v, r)
}

failing(v, "threshold") if {
	fail_on != "off"
	rank[v.severity] >= rank[fail_on]
	fix_condition(v)
}

failing(v, "critical-age") if {
	is_number(max_critical_age)
	v.severity == "critical"
	v.fixAvailable
	age_days(v.published) > max_critical_age
}

fix_condition(v) if v.fixAvailable

fix_condition(_) if fixable_only == false

fix_text(v) := sprintf("fixed in %s", [v.fixedVersion]) if v.fixAvailable

fix_text(v) := "no fix released" if not v.fixAvailable

violation contains {
	"msg": sprintf("%s (%s) in %s %s: %s", [v.id, v.severity, v.package.name, v.package.version, fix_text(v)]),
	"path": sprintf("vulnerabilities/%s/%s/%s", [v.id, v.package.ecosystem, v.package.name]),
	"severity": finding_severity[v.severity],
	"evidence": {
		"id": v.id,
		"aliases": v.aliases,
		"package": v.package,
		"installedVersion": v.package.version,
		"fixedVersion": v.fixedVersion,
		"fixAvailable": v.fixAvailable,
		"severity": v.severity,
		"score": v.score,
		"layer": v.layer,
		"layerKind": v.layerKind,
		"published": v.published,
		"failedBy": sort(reasons(v)),
		"threshold": fail_on,
	},
} if {
	image.is_image
	some v in input.image.vulnerabilities
	live(v)
	count(reasons(v)) > 0
}
