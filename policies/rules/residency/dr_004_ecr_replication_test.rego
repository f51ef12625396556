package posture.rules.dr_004_test

import data.posture.rules.dr_004
import rego.v1

config := {"residency": {
	"tagKeys": ["data-classification"],
	"defaultClass": "restricted",
	"allowed": {"public": ["*"], "personal": ["EEA", "ADEQUATE"], "restricted": ["EU"]},
	"approvedAccounts": ["222222222222"],
}}

repo(name, tags, rules) := {
	"id": sprintf("aws://111111111111/eu-west-1/ecr/repository/%s", [name]),
	"kind": "registry",
	"provider": "aws",
	"account": "111111111111",
	"region": "eu-west-1",
	"tags": tags,
	"registry": {"service": "ecr", "name": name, "replicaLocations": []},
	"raw": {"repository": {"repositoryName": name}, "replicationConfiguration": {"rules": rules}},
}

rule(prefixes, destinations) := {
	"destinations": destinations,
	"repositoryFilters": [{"filter": p, "filterType": "PREFIX_MATCH"} | some p in prefixes],
}

paths(asset) := {v.path | some v in dr_004.violation with input as asset with data.config as config}

test_replica_in_eu_same_account_passes if {
	paths(repo("payments/api", {}, [rule([], [{"region": "eu-central-1", "registryId": "111111111111"}])])) == set()
}

test_replica_in_us_fails_for_default_class if {
	some v in dr_004.violation with input as repo("payments/api", {}, [rule([], [{"region": "us-east-1", "registryId": "111111111111"}])])
		with data.config as config
	v.path == "replication/regions/us-east-1"
	v.evidence.jurisdiction == "US"
}

test_prefix_filter_that_does_not_match_leaves_repo_alone if {
	paths(repo("payments/api", {}, [rule(["public/"], [{"region": "us-east-1", "registryId": "111111111111"}])])) == set()
}

test_prefix_filter_that_matches_applies if {
	paths(repo("public/site", {}, [rule(["public/"], [{"region": "us-east-1", "registryId": "111111111111"}])])) == {"replication/regions/us-east-1"}
}

test_public_class_may_replicate_anywhere if {
	paths(repo("public/site", {"data-classification": "public"}, [rule([], [{"region": "us-east-1", "registryId": "111111111111"}])])) == set()
}

test_unapproved_account_fails_even_in_allowed_region if {
	some v in dr_004.violation with input as repo("payments/api", {}, [rule([], [{"region": "eu-west-3", "registryId": "999999999999"}])])
		with data.config as config
	v.path == "replication/accounts/999999999999"
	v.evidence.regions == ["eu-west-3"]
}

test_approved_account_passes if {
	paths(repo("payments/api", {}, [rule([], [{"region": "eu-west-3", "registryId": "222222222222"}])])) == set()
}

test_unknown_destination_region_fails_closed if {
	some v in dr_004.violation with input as repo("payments/api", {"data-classification": "personal"}, [rule([], [{"region": "eu-new-9", "registryId": "111111111111"}])])
		with data.config as config
	v.evidence.jurisdiction == "UNKNOWN"
}

test_normalized_replica_locations_are_judged_without_raw if {
	asset := object.union(repo("payments/api", {}, []), {"raw": {"replicationConfiguration": null}, "registry": {"replicaLocations": ["ap-south-1"]}})
	paths(asset) == {"replication/regions/ap-south-1"}
}
