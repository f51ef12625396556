package posture.rules.ecs_002_test

import data.posture.rules.ecs_002
import data.posture.rules.ecs_workload_fixtures_test as fx
import rego.v1

test_read_only_passes if {
	count(ecs_002.violation) == 0 with input as fx.good
}

test_writable_fails if {
	some v in ecs_002.violation with input as fx.container({"readOnlyRootFilesystem": false})
	v.path == "containers/web/readOnlyRootFilesystem"
	v.evidence == false
}

test_absent_field_is_api_default_false if {
	count(ecs_002.violation) == 1 with input as fx.asset({"containers": [object.remove(fx.good_container, ["readOnlyRootFilesystem"])]}, {})
}

test_windows_not_judged if {
	count(ecs_002.violation) == 0 with input as fx.asset(
		{"osFamily": "WINDOWS_SERVER_2022_CORE", "containers": [object.union(fx.good_container, {"readOnlyRootFilesystem": false})]},
		{},
	)
}
