package posture.rules.dr_006_test

import data.posture.rules.dr_006
import rego.v1

config := {"residency": {
	"tagKeys": ["data-classification"],
	"defaultClass": "restricted",
	"allowed": {"public": ["*"], "personal": ["EEA", "ADEQUATE"], "restricted": ["EU"], "eu-or-multi": ["EU", "EUROPE_MULTI"]},
}}

repo(location, tags) := {
	"id": sprintf("gcp://shop/%s/artifact-registry/images", [location]),
	"kind": "registry",
	"provider": "gcp",
	"region": location,
	"tags": tags,
	"registry": {"service": "artifact-registry", "name": "images", "replicaLocations": []},
	"raw": {},
}

paths(asset) := {v.path | some v in dr_006.violation with input as asset with data.config as config}

test_single_eu_region_is_not_this_rules_concern if {
	paths(repo("europe-west3", {})) == set()
}

test_europe_multi_region_is_not_counted_as_eu if {
	some v in dr_006.violation with input as repo("europe", {"data-classification": "restricted"}) with data.config as config
	v.evidence.jurisdiction == "EUROPE_MULTI"
}

test_europe_multi_region_passes_where_the_class_allows_it if {
	paths(repo("europe", {"data-classification": "eu-or-multi"})) == set()
}

test_us_multi_region_fails_for_personal_data if {
	paths(repo("us", {"data-classification": "personal"})) == {"location"}
}

test_public_images_may_sit_in_any_multi_region if {
	paths(repo("asia", {"data-classification": "public"})) == set()
}
