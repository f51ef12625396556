package posture.rules.rbac_010_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.rbac_010
import rego.v1

test_least_privilege_passes if {
	count(rbac_010.violation) == 0 with input as k8s.bindings["least-privilege"]
}

test_granting_role_fails if {
	some v in rbac_010.violation with input as k8s.bindings["token-minter"]
	count(v.evidence) == 1
	every e in ["create serviceaccounts/token"] {
		e in v.evidence
	}
}

test_role_not_in_input_is_silent if {
	count(rbac_010.violation) == 0 with input as k8s.bindings["missing-role"]
}
