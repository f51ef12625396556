package posture.rules.aks_006_test

import data.posture.rules.aks_006
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

test_sensor_on_passes if {
	count(aks_006.violation) == 0 with input as fx.good
}

test_sensor_off_fails if {
	some v in aks_006.violation with input as fx.aks({"defenderSensor": false})
	v.evidence == false
}

test_unset_is_api_default_off if {
	count(aks_006.violation) == 1 with input as fx.aks({"defenderSensor": null})
}
