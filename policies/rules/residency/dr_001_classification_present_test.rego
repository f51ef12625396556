package posture.rules.dr_001_test

import data.posture.rules.dr_001
import rego.v1

config := {"residency": {
	"tagKeys": ["data-classification", "classification"],
	"defaultClass": "restricted",
	"allowed": {"public": ["*"], "personal": ["EEA", "ADEQUATE"], "restricted": ["EU"]},
}}

service(tags) := {"id": "aws://1/eu-west-1/ecs/service/c/web", "kind": "service", "provider": "aws", "region": "eu-west-1", "tags": tags}

paths(asset) := {v.path | some v in dr_001.violation with input as asset with data.config as config}

test_known_class_passes if {
	paths(service({"data-classification": "personal"})) == set()
}

test_second_configured_key_counts if {
	paths(service({"classification": "Public"})) == set()
}

test_missing_tag_fails_and_names_the_default if {
	some v in dr_001.violation with input as service({"team": "web"}) with data.config as config
	v.path == "tags"
	v.evidence.assumed == "restricted"
}

test_value_outside_taxonomy_fails if {
	some v in dr_001.violation with input as service({"data-classification": "secret-ish"}) with data.config as config
	v.path == "tags/data-classification"
	v.evidence.classes == ["personal", "public", "restricted"]
}

test_first_configured_key_wins_when_both_are_present if {
	# A valid second key does not hide an invalid first one.
	paths(service({"data-classification": "bogus", "classification": "public"})) == {"tags/data-classification"}
}

test_images_are_not_judged if {
	count(dr_001.violation) == 0 with input as {"id": "oci://x", "kind": "image", "tags": {}} with data.config as config
}

test_ecr_registry_settings_are_not_judged_but_ecs_clusters_are if {
	registry := {"id": "aws://1/eu-west-1/ecr/registry", "kind": "registry", "provider": "aws", "region": "eu-west-1", "tags": {}, "registry": {"service": "ecr-registry"}}
	paths(registry) == set()
	cluster := {"id": "aws://1/eu-west-1/ecs/cluster/shop", "kind": "cluster", "provider": "aws", "region": "eu-west-1", "tags": {}, "cluster": {"distribution": "ecs"}}
	paths(cluster) == {"tags"}
}
