package posture.rules.wkl_034_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_034
import rego.v1

test_runtime_default_passes if {
	count(wkl_034.violation) == 0 with input as k8s.workloads.hardened
}

test_unset_fails_and_unconfined_is_left_to_wkl_025 if {
	some v in wkl_034.violation with input as k8s.workloads["seccomp-unset"]
	v.path == "containers/app/seccompProfile"
	count(wkl_034.violation) == 0 with input as k8s.workloads["seccomp-unconfined"]
}

test_windows_is_exempt if {
	count(wkl_034.violation) == 0 with input as k8s.workloads["host-process"]
}
