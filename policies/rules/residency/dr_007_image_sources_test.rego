package posture.rules.dr_007_test

import data.posture.rules.dr_007
import rego.v1

config := {"residency": {
	"tagKeys": ["data-classification"],
	"defaultClass": "restricted",
	"allowed": {"public": ["*"], "personal": ["EEA", "ADEQUATE"], "restricted": ["EU"]},
	"checkImageSources": true,
	"registryLocations": {"shopacr.azurecr.io": {"provider": "azure", "location": "westeurope"}},
}}

task(tags, images) := {
	"id": "aws://111111111111/eu-west-1/ecs/task-definition/web:3",
	"kind": "workload",
	"provider": "aws",
	"region": "eu-west-1",
	"tags": tags,
	"workload": {"containers": [{"name": sprintf("c%d", [i]), "image": image} | some i, image in images]},
}

paths(asset) := {v.path | some v in dr_007.violation with input as asset with data.config as config}

test_ecr_in_eu_passes if {
	paths(task({}, ["111111111111.dkr.ecr.eu-central-1.amazonaws.com/web:1.2"])) == set()
}

test_artifact_registry_in_eu_passes if {
	paths(task({}, ["europe-west3-docker.pkg.dev/shop/images/web@sha256:0123"])) == set()
}

test_ecr_in_us_fails if {
	some v in dr_007.violation with input as task({}, ["111111111111.dkr.ecr.us-east-1.amazonaws.com/web:1.2"]) with data.config as config
	v.path == "containers/c0/image"
	v.evidence.jurisdiction == "US"
}

test_docker_hub_is_unknown_and_fails_closed if {
	some v in dr_007.violation with input as task({"data-classification": "personal"}, ["nginx:1.27"]) with data.config as config
	v.evidence.registry == "docker.io"
	v.evidence.jurisdiction == "UNKNOWN"
	contains(v.msg, "registryLocations")
}

test_acr_is_unknown_unless_configured if {
	paths(task({}, ["shopacr.azurecr.io/web:1"])) == set()
	paths(task({}, ["otheracr.azurecr.io/web:1"])) == {"containers/c0/image"}
}

test_legacy_eu_gcr_counts_as_europe_multi_region if {
	some v in dr_007.violation with input as task({}, ["eu.gcr.io/shop/web:1"]) with data.config as config
	v.evidence.jurisdiction == "EUROPE_MULTI"
}

test_public_workload_may_pull_from_anywhere if {
	paths(task({"data-classification": "public"}, ["nginx:1.27"])) == set()
}

test_check_can_be_turned_off if {
	off := object.union(config, {"residency": {"checkImageSources": false}})
	count(dr_007.violation) == 0 with input as task({}, ["nginx:1.27"]) with data.config as off
}

test_registry_with_port_is_a_host if {
	some v in dr_007.violation with input as task({}, ["registry.local:5000/web:1"]) with data.config as config
	v.evidence.registry == "registry.local:5000"
}
