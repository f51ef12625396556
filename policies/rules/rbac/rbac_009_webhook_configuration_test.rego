package posture.rules.rbac_009_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.rbac_009
import rego.v1

test_least_privilege_passes if {
	count(rbac_009.violation) == 0 with input as k8s.bindings["least-privilege"]
}

test_granting_role_fails if {
	some v in rbac_009.violation with input as k8s.bindings["webhook-admin"]
	count(v.evidence) == 1
	every e in ["create,patch admissionregistration.k8s.io/mutatingwebhookconfigurations,admissionregistration.k8s.io/validatingwebhookconfigurations"] {
		e in v.evidence
	}
}

test_role_not_in_input_is_silent if {
	count(rbac_009.violation) == 0 with input as k8s.bindings["missing-role"]
}
