package posture.rules.wkl_024_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_024
import rego.v1

test_default_proc_mount_passes if {
	count(wkl_024.violation) == 0 with input as k8s.workloads.hardened
}

test_unmasked_fails if {
	some v in wkl_024.violation with input as k8s.workloads["proc-unmasked"]
	v.evidence == "Unmasked"
}

test_unmasked_in_a_user_namespace_passes_baseline if {
	count(wkl_024.violation) == 0 with input as k8s.workloads["proc-unmasked-user-namespace"]
}
