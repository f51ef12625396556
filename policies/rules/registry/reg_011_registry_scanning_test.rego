package posture.rules.reg_011_test

import data.posture.rules.ecr_registry_fixtures_test as fx
import data.posture.rules.reg_011
import rego.v1

scanning(rules, covers) := fx.asset({"scanning": {"type": "BASIC", "rules": rules, "coversAllRepositories": covers}})

test_wildcard_rule_passes if {
	count(reg_011.violation) == 0 with input as fx.good
}

test_no_rule_fails if {
	some v in reg_011.violation with input as scanning([], false)
	v.path == "scanning/rules"
	v.evidence.type == "BASIC"
}

test_partial_or_manual_rules_fail if {
	rules := [
		{"frequency": "SCAN_ON_PUSH", "filters": [{"filter": "prod-*", "type": "WILDCARD"}]},
		{"frequency": "MANUAL", "filters": [{"filter": "*", "type": "WILDCARD"}]},
	]
	count(reg_011.violation) == 1 with input as scanning(rules, false)
}

test_unread_configuration_is_not_judged if {
	count(reg_011.violation) == 0 with input as fx.asset({"scanning": null})
}

test_repositories_are_not_judged if {
	count(reg_011.violation) == 0 with input as object.union(fx.good, {"registry": {"service": "ecr", "scanning": {"coversAllRepositories": false}}})
}
