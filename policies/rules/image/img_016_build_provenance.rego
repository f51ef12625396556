# METADATA
# title: Image has SLSA provenance from an allowed builder and source
# description: >-
#   Judges the SLSA provenance attestations (cosign attest, in-toto v0.2 or v1) found for the image and
#   verified under the keys of the supplyChain policy that covers it. Passes when one names a builder the
#   policy allows (attestations.provenance.builders, globs over builder.id where * stops at "/" and ** does not) and only source repositories it
#   allows (sourceRepositories, globs over the git repositories the build names). Fails when none does, or
#   when no verified provenance exists. Images whose policy sets no provenance requirement, or whose
#   signatures could not be read, are not evaluated.
# custom:
#   id: IMG-016
#   severity: high
#   kind: [image]
#   requires: [image.attestations, image.supplyChain.provenance]
#   frameworks:
#     nist-800-53-r5: ["SR-4", "SI-7"]
#     nist-800-190: ["4.1.5"]
#     owasp-docker-top10: ["D08"]
#   unverified: ["nist-800-53-r5", "nist-800-190", "owasp-docker-top10"]
#   remediation: >-
#     Generate provenance in the release pipeline (for GitHub Actions the SLSA generator, or `cosign attest
#     --type slsaprovenance1 --predicate provenance.json --key <key> <image>@<digest>`) from the allowed
#     builder and repository, or add the builder and repository to the policy once reviewed.
package posture.rules.img_016

import data.posture.lib.image
import rego.v1

required := input.image.supplyChain.provenance

provenances := [a | some a in input.image.attestations; a.verified; a.provenance != null]

builder_allowed(p) if {
	some pattern in required.builders
	glob.match(pattern, ["/"], object.get(p, "builderId", ""))
}

source_allowed(repo) if {
	some pattern in required.sourceRepositories
	glob.match(pattern, ["/"], repo)
}

acceptable(p) if {
	builder_allowed(p)
	count(p.sourceRepositories) > 0
	every repo in p.sourceRepositories {
		source_allowed(repo)
	}
}

reasons := [sprintf("builder %s from %s", [object.get(a.provenance, "builderId", "unknown"), concat(", ", a.provenance.sourceRepositories)]) | some a in provenances]

violation contains {
	"msg": sprintf("image %s has no verified SLSA provenance (policy %s)", [input.id, input.image.supplyChain.policy]),
	"path": "attestations/provenance",
	"evidence": {"found": 0, "attestations": count(input.image.attestations)},
} if {
	image.is_image
	count(provenances) == 0
}

violation contains {
	"msg": sprintf("image %s was not built by an allowed builder from allowed sources: %s", [input.id, concat("; ", reasons)]),
	"path": "attestations/provenance",
	"evidence": {"provenance": [a.provenance | some a in provenances], "builders": required.builders, "sourceRepositories": required.sourceRepositories},
} if {
	image.is_image
	count(provenances) > 0
	not any_acceptable
}

any_acceptable if {
	some a in provenances
	acceptable(a.provenance)
}
