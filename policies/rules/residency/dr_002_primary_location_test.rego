package posture.rules.dr_002_test

import data.posture.rules.dr_002
import rego.v1

config := {"residency": {
	"tagKeys": ["data-classification"],
	"defaultClass": "restricted",
	"allowed": {"public": ["*"], "personal": ["EEA", "ADEQUATE"], "restricted": ["EU"]},
}}

cluster(region, tags) := {"id": "c", "kind": "cluster", "provider": "aws", "region": region, "tags": tags}

test_personal_data_in_eu_passes if {
	count(dr_002.violation) == 0 with input as cluster("eu-west-1", {"data-classification": "personal"})
		with data.config as config
}

test_personal_data_in_uk_passes_through_adequacy if {
	count(dr_002.violation) == 0 with input as cluster("eu-west-2", {"data-classification": "personal"})
		with data.config as config
}

test_personal_data_in_us_fails if {
	some v in dr_002.violation with input as cluster("us-east-1", {"data-classification": "personal"})
		with data.config as config
	v.evidence.jurisdiction == "US"
}

test_untagged_asset_uses_default_class if {
	some v in dr_002.violation with input as cluster("eu-west-2", {}) with data.config as config
	v.evidence.class == "restricted"
}

test_unknown_region_fails_closed if {
	some v in dr_002.violation with input as cluster("xx-mars-1", {"data-classification": "personal"})
		with data.config as config
	v.evidence.jurisdiction == "UNKNOWN"
}

test_public_class_allowed_anywhere if {
	count(dr_002.violation) == 0 with input as cluster("xx-mars-1", {"data-classification": "public"})
		with data.config as config
}

test_azure_display_name_region_resolves if {
	aks := object.union(cluster("West Europe", {"data-classification": "restricted"}), {"provider": "azure"})
	count(dr_002.violation) == 0 with input as aks with data.config as config
}

test_gcp_zonal_location_resolves_to_its_region if {
	gke := object.union(cluster("europe-west2-b", {"data-classification": "restricted"}), {"provider": "gcp"})
	some v in dr_002.violation with input as gke with data.config as config
	v.evidence.jurisdiction == "UK"
}

test_two_classification_keys_do_not_conflict if {
	two_keys := object.union(config, {"residency": {"tagKeys": ["data-classification", "classification"]}})
	some v in dr_002.violation with input as cluster("eu-west-2", {"data-classification": "restricted", "classification": "personal"})
		with data.config as two_keys
	v.evidence.class == "restricted"
}

test_ecr_registry_settings_are_not_judged if {
	registry := {"id": "aws://1/us-east-1/ecr/registry", "kind": "registry", "provider": "aws", "region": "us-east-1", "tags": {}, "registry": {"service": "ecr-registry"}}
	count(dr_002.violation) == 0 with input as registry with data.config as config
	count(dr_002.violation) == 1 with input as json.patch(registry, [{"op": "replace", "path": "/registry/service", "value": "ecr"}]) with data.config as config
}
