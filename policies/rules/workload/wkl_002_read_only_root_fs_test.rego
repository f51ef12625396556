package posture.rules.wkl_002_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_002
import rego.v1

test_read_only_passes if {
	count(wkl_002.violation) == 0 with input as fx.good
	count(wkl_002.violation) == 0 with input as k8s.workloads.hardened
}

test_writable_fails if {
	some v in wkl_002.violation with input as fx.container({"readOnlyRootFilesystem": false})
	v.path == "containers/web/readOnlyRootFilesystem"
	v.evidence == false
	some w in wkl_002.violation with input as k8s.workloads["writable-root"]
	w.path == "containers/app/readOnlyRootFilesystem"
}

test_absent_field_is_api_default_false if {
	count(wkl_002.violation) == 1 with input as fx.asset({"containers": [object.remove(fx.good_container, ["readOnlyRootFilesystem"])]}, {})
}

test_windows_not_judged if {
	count(wkl_002.violation) == 0 with input as fx.asset(
		{"osFamily": "WINDOWS_SERVER_2022_CORE", "containers": [object.union(fx.good_container, {"readOnlyRootFilesystem": false})]},
		{},
	)
	count(wkl_002.violation) == 0 with input as k8s.workloads["host-process"]
}
