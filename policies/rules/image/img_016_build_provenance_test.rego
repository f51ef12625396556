package posture.rules.img_016_test

import data.posture.rules.img_016
import rego.v1

provenance(builder, sources) := {"verified": true, "predicateType": "https://slsa.dev/provenance/v1", "provenance": {"slsaVersion": "1", "builderId": builder, "sourceRepositories": sources}, "sbom": null}

image_with(attestations) := {
	"id": "oci://r.example/app@sha256:1",
	"kind": "image",
	"image": {
		"attestations": attestations,
		"supplyChain": {"policy": "release", "provenance": {"builders": ["https://github.com/acme/*/.github/workflows/release.yml@**"], "sourceRepositories": ["https://github.com/acme/*"]}},
	},
}

allowed_builder := "https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main"

test_allowed_builder_and_source_pass if {
	count(img_016.violation) == 0 with input as image_with([provenance(allowed_builder, ["https://github.com/acme/app"])])
}

test_other_builder_fails if {
	some v in img_016.violation with input as image_with([provenance("https://ci.example/runner", ["https://github.com/acme/app"])])
	contains(v.msg, "builder https://ci.example/runner")
}

test_foreign_source_fails if {
	count(img_016.violation) == 1 with input as image_with([provenance(allowed_builder, ["https://github.com/acme/app", "https://github.com/evil/fork"])])
}

test_unverified_provenance_does_not_count if {
	p := object.union(provenance(allowed_builder, ["https://github.com/acme/app"]), {"verified": false})
	some v in img_016.violation with input as image_with([p])
	contains(v.msg, "no verified SLSA provenance")
}

test_no_attestation_fails if {
	some v in img_016.violation with input as image_with([])
	contains(v.msg, "no verified SLSA provenance")
}
