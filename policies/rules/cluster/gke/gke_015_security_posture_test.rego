package posture.rules.gke_015_test

import data.posture.rules.gke_015
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_015.violation with input as asset}

test_basic_posture_with_scanning_passes if {
	paths(fx.gke({})) == set()
}

test_scanning_disabled_fails if {
	paths(fx.gke({"securityPostureConfig": {"vulnerabilityMode": "VULNERABILITY_DISABLED"}})) == {"securityPostureConfig/vulnerabilityMode"}
}

test_posture_disabled_fails if {
	paths(fx.gke({"securityPostureConfig": {"mode": "DISABLED"}})) == {"securityPostureConfig/mode"}
}

test_absent_config_fails_closed if {
	some v in gke_015.violation with input as fx.without(["securityPostureConfig"])
	v.evidence == "MODE_UNSPECIFIED"
}
