# METADATA
# title: The ECR registry uses enhanced scanning
# description: >-
#   Basic scanning looks at operating-system packages when an image is pushed (or on demand);
#   enhanced scanning (Amazon Inspector) also reads language packages and rescans stored images as
#   new vulnerabilities are published. Fails when the registry's scanning configuration
#   (GetRegistryScanningConfiguration) has scan type BASIC. A registry whose configuration could
#   not be read is not judged.
# custom:
#   id: REG-014
#   severity: low
#   kind: [registry]
#   applies:
#     provider: [aws]
#     service: [ecr-registry]
#   requires: [registry.scanning]
#   frameworks:
#     nist-800-53-r5: ["RA-5"]
#     nist-800-190: ["4.1.1"]
#   unverified: [nist-800-53-r5, nist-800-190]
#   remediation: >-
#     `aws ecr put-registry-scanning-configuration --scan-type ENHANCED` with a CONTINUOUS_SCAN rule
#     for `*` (Amazon Inspector must be enabled for ECR in the account).
package posture.rules.reg_014

import data.posture.lib.registry
import rego.v1

violation contains {
	"msg": sprintf("ECR registry %s in %s uses %s scanning, not enhanced (Amazon Inspector) scanning", [input.registry.name, input.region, scanning.type]),
	"path": "scanning/type",
	"evidence": scanning.type,
} if {
	registry.is_ecr_registry
	scanning := input.registry.scanning
	is_object(scanning)
	scanning.type != "ENHANCED"
}
