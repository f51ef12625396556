package posture.rules.wkl_032_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_032
import rego.v1

test_run_as_non_root_passes if {
	count(wkl_032.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_032.violation) == 0 with input as k8s.workloads["non-root-flag-only"]
}

test_uid_without_the_flag_fails if {
	some v in wkl_032.violation with input as k8s.workloads["uid-only"]
	v.msg == "container app in Pod apps/uid-only does not require a non-root user (runAsNonRoot is unset)"
}

test_user_namespace_is_exempt if {
	count(wkl_032.violation) == 0 with input as k8s.workloads["root-in-user-namespace"]
}
