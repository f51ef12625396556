package posture.rules.wkl_025_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_025
import rego.v1

test_default_and_unset_pass if {
	count(wkl_025.violation) == 0 with input as fx.good
	count(wkl_025.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_025.violation) == 0 with input as k8s.workloads["seccomp-unset"]
}

test_unconfined_fails if {
	some v in wkl_025.violation with input as k8s.workloads["seccomp-unconfined"]
	v.path == "containers/app/seccompProfile"
	count(wkl_025.violation) == 1 with input as fx.container({"seccompProfile": {"type": "Unconfined", "localhostProfile": null}})
}
