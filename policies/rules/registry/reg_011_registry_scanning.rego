# METADATA
# title: The ECR registry scans every repository on push or continuously
# description: >-
#   The registry's scanning configuration (GetRegistryScanningConfiguration, basic or enhanced)
#   must have a SCAN_ON_PUSH or CONTINUOUS_SCAN rule whose filter is the `*` wildcard, so every
#   repository, including the next one created, has its images scanned without anyone asking.
#   Rules for some repositories only, or MANUAL rules, leave the rest unscanned. A registry whose
#   scanning configuration could not be read is not judged.
# custom:
#   id: REG-011
#   severity: high
#   kind: [registry]
#   applies:
#     provider: [aws]
#     service: [ecr-registry]
#   requires: [registry.scanning]
#   frameworks:
#     cis-eks-1.8: ["5.1.1"]
#     nist-800-53-r5: ["RA-5"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.1.1"]
#   unverified: [owasp-docker-top10, nist-800-190]
#   remediation: >-
#     `aws ecr put-registry-scanning-configuration --scan-type ENHANCED --rules
#     '[{"scanFrequency":"CONTINUOUS_SCAN","repositoryFilters":[{"filter":"*","filterType":"WILDCARD"}]}]'`
#     (or BASIC with SCAN_ON_PUSH).
package posture.rules.reg_011

import data.posture.lib.registry
import rego.v1

violation contains {
	"msg": sprintf("ECR registry %s in %s has no scan-on-push or continuous scanning rule for every repository", [input.registry.name, input.region]),
	"path": "scanning/rules",
	"evidence": {"type": scanning.type, "rules": scanning.rules},
} if {
	registry.is_ecr_registry
	scanning := input.registry.scanning
	is_object(scanning)
	scanning.coversAllRepositories == false
}
