# METADATA
# title: Image base OS is still supported
# description: >-
#   An OS release past its end of security support gets no more fixes: every vulnerability found in it
#   from then on stays open. Fails when the image's /etc/os-release names a release whose end of security
#   support (data.os_eol, kept in policies/data/os-eol.json) is before the scan time. Releases missing from
#   the table are not judged.
# custom:
#   id: IMG-004
#   severity: high
#   kind: [image]
#   requires: [image.contents.os]
#   frameworks:
#     cis-docker-1.6: ["4.4"]
#     nist-800-53-r5: ["SA-22", "SI-2"]
#     pci-dss-4.0: ["6.3.3"]
#     nist-800-190: ["4.1.1"]
#   unverified: ["pci-dss-4.0", "nist-800-190"]
#   remediation: >-
#     Rebuild the image on a supported release of its base OS (or a distroless/minimal base that is
#     maintained), test, and redeploy.
package posture.rules.img_004

import data.posture.lib.image
import rego.v1

os := input.image.contents.os

# Where the table lists this release: the exact VERSION_ID, else major.minor, else major.
candidates(version) := [version, concat(".", array.slice(split(version, "."), 0, 2)), split(version, ".")[0]]

release_key(table, version) := keys[0] if {
	keys := [k | some k in candidates(version); table[k]]
	count(keys) > 0
}

violation contains {
	"msg": sprintf("image %s runs %s %s, whose security support ended on %s", [input.id, os.id, os.versionId, eol]),
	"path": "contents/os",
	"evidence": {"os": os.id, "versionId": os.versionId, "prettyName": object.get(os, "prettyName", null), "endOfLife": eol},
} if {
	image.is_image
	is_string(os.versionId)
	table := data.os_eol[os.id]
	eol := table[release_key(table, os.versionId)]
	time.parse_rfc3339_ns(data.runtime.now) > time.parse_rfc3339_ns(concat("", [eol, "T23:59:59Z"]))
}
