package posture.rules.reg_013_test

import data.posture.rules.ecr_registry_fixtures_test as fx
import data.posture.rules.reg_013
import rego.v1

policy(patch) := fx.asset({"policy": object.union({"present": true, "public": false, "accounts": []}, patch)})

test_own_account_policy_and_no_policy_pass if {
	count(reg_013.violation) == 0 with input as fx.good with data.config as fx.config
	count(reg_013.violation) == 0 with input as policy({"present": false}) with data.config as fx.config
}

test_public_policy_fails if {
	some v in reg_013.violation with input as policy({"public": true}) with data.config as fx.config
	v.path == "policy/public"
}

test_unapproved_account_fails_and_approved_passes if {
	paths := {v.path | some v in reg_013.violation} with input as policy({"accounts": ["444455556666", "999988887777"]}) with data.config as fx.config
	paths == {"policy/accounts/999988887777"}
}

test_unread_policy_is_not_judged if {
	count(reg_013.violation) == 0 with input as fx.asset({"policy": null}) with data.config as fx.config
}
