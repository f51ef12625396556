# METADATA
# title: Registry scanner reports no vulnerabilities above the threshold that posture did not match
# description: >-
#   The registry's own scanner (ECR basic scanning, Amazon Inspector enhanced scanning, Microsoft
#   Defender for Containers on ACR, Artifact Analysis on Artifact Registry) is a second source. Its findings that posture also matched are folded into IMG-003 (one finding per
#   vulnerability and package); this rule fails on the remaining ones at or above
#   image.vulnerabilities.nativeFailOn. Images without registry scan results are not evaluated.
# custom:
#   id: REG-002
#   severity: high
#   kind: [image]
#   requires: [image.nativeVulnerabilities]
#   frameworks:
#     nist-800-53-r5: ["RA-5"]
#     pci-dss-4.0: ["11.3.1"]
#     nist-800-190: ["4.1.1"]
#   unverified: ["pci-dss-4.0", "nist-800-190"]
#   remediation: >-
#     Review the registry scanner's finding; rebuild with the fixed package version. If posture's
#     inventory missed the package, report it: both sources should agree.
package posture.rules.reg_002

import data.posture.lib.image
import rego.v1

policy := object.get(image.config, ["image", "vulnerabilities"], {})

fail_on := object.get(policy, "nativeFailOn", "high")

rank := {"critical": 4, "high": 3, "medium": 2, "low": 1, "unknown": 0}

finding_severity := {"critical": "critical", "high": "high", "medium": "medium", "low": "low", "unknown": "low"}

package_name(n) := n.packageName if is_string(n.packageName)

package_name(n) := "(no package)" if not is_string(n.packageName)

violation contains {
	"msg": sprintf("%s reports %s (%s) in %s", [n.scanner, n.id, n.severity, package_name(n)]),
	"path": sprintf("native/%s/%s/%s", [n.scanner, n.id, package_name(n)]),
	"severity": finding_severity[n.severity],
	"evidence": {
		"scanner": n.scanner,
		"id": n.id,
		"aliases": n.aliases,
		"severity": n.severity,
		"packageName": n.packageName,
		"packageVersion": n.packageVersion,
		"fixedVersion": n.fixedVersion,
		"threshold": fail_on,
	},
} if {
	image.is_image
	fail_on != "off"
	some n in input.image.nativeVulnerabilities
	rank[n.severity] >= rank[fail_on]
}
