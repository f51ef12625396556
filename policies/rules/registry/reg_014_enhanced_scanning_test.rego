package posture.rules.reg_014_test

import data.posture.rules.ecr_registry_fixtures_test as fx
import data.posture.rules.reg_014
import rego.v1

test_enhanced_passes if {
	count(reg_014.violation) == 0 with input as fx.good
}

test_basic_fails if {
	some v in reg_014.violation with input as fx.asset({"scanning": object.union(fx.good_registry.scanning, {"type": "BASIC"})})
	v.path == "scanning/type"
	v.evidence == "BASIC"
}

test_unread_configuration_is_not_judged if {
	count(reg_014.violation) == 0 with input as fx.asset({"scanning": null})
}
