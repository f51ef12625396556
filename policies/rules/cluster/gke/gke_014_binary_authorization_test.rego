package posture.rules.gke_014_test

import data.posture.rules.gke_014
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

test_singleton_policy_enforced_passes if {
	count(gke_014.violation) == 0 with input as fx.gke({})
}

test_disabled_fails if {
	some v in gke_014.violation with input as fx.gke({"binaryAuthorization": {"evaluationMode": "DISABLED"}})
	v.evidence == "DISABLED"
}

test_disabled_mode_wins_over_deprecated_flag if {
	count(gke_014.violation) == 1 with input as fx.gke({"binaryAuthorization": {"evaluationMode": "DISABLED", "enabled": true}})
}

test_deprecated_flag_decides_when_mode_is_unset if {
	count(gke_014.violation) == 0 with input as fx.gke({"binaryAuthorization": {"evaluationMode": null, "enabled": true}})
}

test_absent_is_api_default_disabled if {
	count(gke_014.violation) == 1 with input as fx.without(["binaryAuthorization"])
}
