package posture.rules.dr_003_test

import data.posture.rules.dr_003
import rego.v1

config := {"residency": {
	"tagKeys": ["data-classification"],
	"defaultClass": "restricted",
	"allowed": {"public": ["*"], "personal": ["EEA", "ADEQUATE"], "restricted": ["EU"]},
}}

gke(tags, locations, pool_locations) := {
	"id": "gcp://shop/europe-west1/gke/shop",
	"kind": "cluster",
	"provider": "gcp",
	"region": "europe-west1",
	"tags": tags,
	"raw": {"cluster": {"locations": locations, "nodePools": [{"name": "pool-a", "locations": pool_locations}]}},
	"cluster": {"locations": array.concat(["europe-west1"], locations), "nodePools": [{"name": "pool-a", "locations": pool_locations}]},
}

paths(asset) := {v.path | some v in dr_003.violation with input as asset with data.config as config}

test_zones_in_own_region_pass if {
	paths(gke({}, ["europe-west1-b", "europe-west1-c"], ["europe-west1-b"])) == set()
}

test_pool_in_another_allowed_region_passes if {
	paths(gke({}, ["europe-west1-b"], ["europe-west4-a"])) == set()
}

test_pool_zone_outside_allowed_jurisdiction_fails if {
	some v in dr_003.violation with input as gke({}, ["europe-west1-b"], ["us-central1-a"]) with data.config as config
	v.path == "nodePools/pool-a/locations/us-central1-a"
	v.evidence.region == "us-central1"
	v.evidence.jurisdiction == "US"
}

test_uk_zone_allowed_for_personal_but_not_for_untagged if {
	asset := gke({"data-classification": "personal"}, ["europe-west1-b", "europe-west2-a"], ["europe-west1-b"])
	paths(asset) == set()
	paths(gke({}, ["europe-west1-b", "europe-west2-a"], ["europe-west1-b"])) == {"locations/europe-west2-a"}
}

test_unknown_zone_fails_closed if {
	some v in dr_003.violation with input as gke({"data-classification": "personal"}, ["mars-north1-a"], []) with data.config as config
	v.evidence.jurisdiction == "UNKNOWN"
}

test_aks_zone_numbers_belong_to_the_cluster_region if {
	aks := {
		"id": "azure://s/westeurope/aks/rg/a",
		"kind": "cluster",
		"provider": "azure",
		"region": "westeurope",
		"tags": {},
		"raw": {},
		"cluster": {"locations": ["westeurope"], "nodePools": [{"name": "system", "locations": ["westeurope-1", "2"]}]},
	}
	paths(aks) == set()
}

test_eks_availability_zone_outside_allowed_fails if {
	eks := {
		"id": "aws://1/eu-west-1/eks/cluster/a",
		"kind": "cluster",
		"provider": "aws",
		"region": "eu-west-1",
		"tags": {},
		"raw": {},
		"cluster": {"locations": ["eu-west-1"], "nodePools": [{"name": "ng", "locations": ["eu-west-1a", "us-east-1b"]}]},
	}
	paths(eks) == {"nodePools/ng/locations/us-east-1b"}
}
