# METADATA
# title: Image has a signed SBOM attestation
# description: >-
#   Passes when an SPDX or CycloneDX SBOM attestation (cosign attest) for the image verifies under the keys
#   of the supplyChain policy that covers it. Fails when none does. Images whose policy does not require an
#   SBOM (attestations.sbom), or whose signatures could not be read, are not evaluated.
# custom:
#   id: IMG-017
#   severity: medium
#   kind: [image]
#   requires: [image.attestations, image.supplyChain.sbom]
#   frameworks:
#     nist-800-53-r5: ["CM-8", "SR-4"]
#     owasp-docker-top10: ["D08"]
#   unverified: ["nist-800-53-r5", "owasp-docker-top10"]
#   remediation: >-
#     Attach the SBOM at release (`cosign attest --type spdxjson --predicate sbom.spdx.json --key <key>
#     <image>@<digest>`, or the CycloneDX equivalent).
package posture.rules.img_017

import data.posture.lib.image
import rego.v1

sboms := [a | some a in input.image.attestations; a.verified; a.sbom != null]

rejected := [sprintf("%s (%s)", [a.predicateType, a.problem.code]) | some a in input.image.attestations; not a.verified]

violation contains {
	"msg": sprintf("image %s has no verified SBOM attestation (policy %s)%s", [input.id, input.image.supplyChain.policy, rejected_text]),
	"path": "attestations/sbom",
	"evidence": {"attestations": count(input.image.attestations), "rejected": rejected},
} if {
	image.is_image
	count(sboms) == 0
}

rejected_text := sprintf("; rejected: %s", [concat(", ", rejected)]) if count(rejected) > 0

else := ""
