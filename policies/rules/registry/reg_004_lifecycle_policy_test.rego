package posture.rules.reg_004_test

import data.posture.rules.reg_004
import data.posture.rules.registry_fixtures_test as fx
import rego.v1

test_lifecycle_policy_passes if {
	count(reg_004.violation) == 0 with input as fx.ecr({}, {"lifecyclePolicyText": "{\"rules\":[]}"})
}

test_no_policy_fails if {
	some v in reg_004.violation with input as fx.ecr({"lifecyclePolicy": false}, {"lifecyclePolicyText": null})
	v.path == "lifecyclePolicy"
}

test_not_collected_passes if {
	count(reg_004.violation) == 0 with input as fx.ecr({"lifecyclePolicy": null}, {})
}
