package posture.rules.rbac_005_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.rbac_005
import rego.v1

test_least_privilege_passes if {
	count(rbac_005.violation) == 0 with input as k8s.bindings["least-privilege"]
}

test_granting_role_fails if {
	some v in rbac_005.violation with input as k8s.bindings.escalator
	count(v.evidence) == 2
	every e in ["bind,escalate rbac.authorization.k8s.io/clusterroles", "impersonate users,groups,serviceaccounts"] {
		e in v.evidence
	}
}

test_role_not_in_input_is_silent if {
	count(rbac_005.violation) == 0 with input as k8s.bindings["missing-role"]
}
