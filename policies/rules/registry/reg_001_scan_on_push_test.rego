package posture.rules.reg_001_test

import data.posture.rules.reg_001
import data.posture.rules.registry_fixtures_test as fx
import rego.v1

test_scan_on_push_passes if {
	count(reg_001.violation) == 0 with input as fx.ecr({}, {})
}

test_scanning_off_fails if {
	some v in reg_001.violation with input as fx.ecr({"scanOnPush": false}, {})
	v.path == "scanOnPush"
}

test_registry_rule_covering_the_repository_passes if {
	scanning := {"registryId": "111122223333", "scanningConfiguration": {
		"scanType": "ENHANCED",
		"rules": [{"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "shop/*", "filterType": "WILDCARD"}]}],
	}}
	count(reg_001.violation) == 0 with input as fx.ecr({"scanOnPush": false}, {"scanningConfiguration": scanning})
}

test_registry_rule_for_other_repositories_does_not_cover if {
	scanning := {"scanType": "BASIC", "rules": [
		{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "billing-*", "filterType": "WILDCARD"}]},
		{"scanFrequency": "MANUAL", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]},
	]}
	some v in reg_001.violation with input as fx.ecr({"scanOnPush": false}, {"scanningConfiguration": scanning})
	v.evidence.registryScanType == "BASIC"
}

test_acr_and_artifact_registry_use_the_normalized_field if {
	count(reg_001.violation) == 1 with input as fx.ar({"scanOnPush": false}, {})
	count(reg_001.violation) == 1 with input as fx.acr({"scanOnPush": false}, {})
}

test_unknown_scanning_state_passes if {
	count(reg_001.violation) == 0 with input as fx.ar({"scanOnPush": null}, {})
}
