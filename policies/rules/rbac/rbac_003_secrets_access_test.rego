package posture.rules.rbac_003_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.rbac_003
import rego.v1

test_least_privilege_passes if {
	count(rbac_003.violation) == 0 with input as k8s.bindings["least-privilege"]
}

test_granting_role_fails if {
	some v in rbac_003.violation with input as k8s.bindings["secret-reader"]
	count(v.evidence) == 1
	every e in ["get,list,watch secrets"] {
		e in v.evidence
	}
}

test_role_not_in_input_is_silent if {
	count(rbac_003.violation) == 0 with input as k8s.bindings["missing-role"]
}

test_named_secrets_pass if {
	count(rbac_003.violation) == 0 with input as k8s.bindings["named-secret-reader"]
}

test_wildcard_role_reads_secrets_too if {
	some v in rbac_003.violation with input as k8s.bindings["all-powerful"]
	v.msg == "ClusterRoleBinding all-powerful lets ServiceAccount apps/all-powerful read secrets (* */*)"
}
