package posture.rules.wkl_033_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_033
import rego.v1

test_non_zero_and_unset_pass if {
	count(wkl_033.violation) == 0 with input as fx.good
	count(wkl_033.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_033.violation) == 0 with input as k8s.workloads["image-user"]
}

test_uid_zero_fails if {
	some v in wkl_033.violation with input as k8s.workloads["root-user"]
	v.path == "containers/app/runAsUser"
	count(wkl_033.violation) == 1 with input as fx.container({"user": "root", "runAsUser": 0})
}

test_user_namespace_is_exempt if {
	count(wkl_033.violation) == 0 with input as k8s.workloads["root-in-user-namespace"]
}
