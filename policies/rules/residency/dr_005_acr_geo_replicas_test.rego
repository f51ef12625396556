package posture.rules.dr_005_test

import data.posture.rules.dr_005
import rego.v1

config := {"residency": {
	"tagKeys": ["data-classification"],
	"defaultClass": "restricted",
	"allowed": {"public": ["*"], "personal": ["EEA", "ADEQUATE"], "restricted": ["EU"]},
}}

acr(tags, replicas, replications) := {
	"id": "azure://sub/westeurope/acr/rg/shopacr",
	"kind": "registry",
	"provider": "azure",
	"region": "westeurope",
	"tags": tags,
	"registry": {"service": "acr", "name": "shopacr", "replicaLocations": replicas},
	"raw": {"replications": replications},
}

paths(asset) := {v.path | some v in dr_005.violation with input as asset with data.config as config}

test_replica_in_eu_passes if {
	paths(acr({}, ["westeurope", "northeurope"], [])) == set()
}

test_replica_in_us_fails if {
	paths(acr({}, ["westeurope", "eastus"], [])) == {"replications/eastus"}
}

test_raw_replication_display_name_is_normalized if {
	some v in dr_005.violation with input as acr({}, [], [{"name": "eastus", "location": "East US"}]) with data.config as config
	v.evidence.location == "eastus"
	v.evidence.jurisdiction == "US"
}

test_uk_replica_allowed_for_personal_data if {
	paths(acr({"data-classification": "personal"}, ["uksouth"], [])) == set()
}

test_unknown_location_fails_closed if {
	paths(acr({"data-classification": "personal"}, ["newcountrycentral"], [])) == {"replications/newcountrycentral"}
}
