package posture.rules.rbac_002_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.rbac_002
import rego.v1

test_explicit_rules_pass if {
	count(rbac_002.violation) == 0 with input as k8s.bindings["least-privilege"]
}

test_wildcard_verbs_fail if {
	some v in rbac_002.violation with input as k8s.bindings["wildcard-verbs"]
	count(v.evidence) == 1
	every e in ["* apps/deployments"] {
		e in v.evidence
	}
	v.msg == "RoleBinding apps/wildcard-verbs grants Role wildcard-verbs, whose rules use wildcards (* apps/deployments)"
}

test_wildcard_everything_fails if {
	some v in rbac_002.violation with input as k8s.bindings["all-powerful"]
	count(v.evidence) == 1
	every e in ["* */*"] {
		e in v.evidence
	}
}

test_role_not_in_input_is_silent if {
	count(rbac_002.violation) == 0 with input as k8s.bindings["missing-role"]
}
