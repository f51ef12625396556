package posture.rules.wkl_036_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_036
import rego.v1

test_default_passes if {
	count(wkl_036.violation) == 0 with input as k8s.workloads.hardened
}

test_unmasked_in_a_user_namespace_fails if {
	some v in wkl_036.violation with input as k8s.workloads["proc-unmasked-user-namespace"]
	v.evidence == "Unmasked"
}

test_unmasked_outside_a_user_namespace_is_left_to_wkl_024 if {
	count(wkl_036.violation) == 0 with input as k8s.workloads["proc-unmasked"]
}
