package posture.rules.rbac_008_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.rbac_008
import rego.v1

test_least_privilege_passes if {
	count(rbac_008.violation) == 0 with input as k8s.bindings["least-privilege"]
}

test_granting_role_fails if {
	some v in rbac_008.violation with input as k8s.bindings["csr-approver"]
	count(v.evidence) == 2
	every e in ["update certificates.k8s.io/certificatesigningrequests/approval", "approve certificates.k8s.io/signers"] {
		e in v.evidence
	}
}

test_role_not_in_input_is_silent if {
	count(rbac_008.violation) == 0 with input as k8s.bindings["missing-role"]
}
