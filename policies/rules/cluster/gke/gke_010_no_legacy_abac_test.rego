package posture.rules.gke_010_test

import data.posture.rules.gke_010
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

test_abac_off_passes if {
	count(gke_010.violation) == 0 with input as fx.gke({"legacyAbac": {"enabled": false}})
}

test_abac_on_fails if {
	count(gke_010.violation) == 1 with input as fx.gke({"legacyAbac": {"enabled": true}})
}

test_absent_is_api_default_off if {
	count(gke_010.violation) == 0 with input as fx.without(["legacyAbac"])
}
