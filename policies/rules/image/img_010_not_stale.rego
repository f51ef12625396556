# METADATA
# title: Image is not stale
# description: >-
#   An old image misses every patch released since it was built. Fails when the config's
#   created time is more than image.maxAgeDays before the scan time. A missing, malformed or
#   zeroed created time (reproducible builds set 1970-01-01) cannot be judged and passes;
#   comparing the base digest with the current base is not collected.
# custom:
#   id: IMG-010
#   severity: medium
#   kind: [image]
#   requires: [image.config.created]
#   frameworks:
#     cis-docker-1.6: ["4.4"]
#     nist-800-53-r5: ["SI-2"]
#     pci-dss-4.0: ["6.3.3"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.2.2"]
#   unverified: ["nist-800-53-r5", "pci-dss-4.0", "owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     Rebuild the image on a current base regularly (a scheduled CI build), redeploy, and remove
#     old tags with a lifecycle policy.
package posture.rules.img_010

import data.posture.lib.image
import rego.v1

max_age_days := object.get(image.config, ["image", "maxAgeDays"], 90)

ns_per_day := ((24 * 60) * 60) * 1000000000

# Validated before parsing, field ranges included: under Wasm the host builtin throws on anything
# Date.parse rejects, which would abort the evaluation of the whole asset.
rfc3339 := `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`

created := input.image.config.created

age_days := floor((time.parse_rfc3339_ns(data.runtime.now) - created_ns) / ns_per_day) if {
	is_string(created)
	regex.match(rfc3339, created)
	created_ns := time.parse_rfc3339_ns(created)
	created_ns > 0
}

violation contains {
	"msg": sprintf("image %s was built %d days ago, more than the allowed %d", [input.id, age_days, max_age_days]),
	"path": "config/created",
	"evidence": {"created": created, "ageDays": age_days, "maxAgeDays": max_age_days},
} if {
	image.is_image
	age_days > max_age_days
}
