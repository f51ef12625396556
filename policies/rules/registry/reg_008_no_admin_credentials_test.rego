package posture.rules.reg_008_test

import data.posture.rules.reg_008
import data.posture.rules.registry_fixtures_test as fx
import rego.v1

test_admin_disabled_passes if {
	count(reg_008.violation) == 0 with input as fx.acr({}, {})
}

test_admin_enabled_fails if {
	some v in reg_008.violation with input as fx.acr({"adminUser": true}, {})
	v.path == "adminUser"
}

test_unknown_passes if {
	count(reg_008.violation) == 0 with input as fx.ar({"adminUser": null}, {})
}
