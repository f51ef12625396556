package posture.rules.ecs_007_test

import data.posture.rules.ecs_007
import data.posture.rules.ecs_workload_fixtures_test as fx
import rego.v1

test_awslogs_passes if {
	count(ecs_007.violation) == 0 with input as fx.good
}

test_null_logging_fails if {
	some v in ecs_007.violation with input as fx.container({"logging": null})
	v.path == "containers/web/logging"
}

test_empty_driver_fails if {
	count(ecs_007.violation) == 1 with input as fx.container({"logging": {"driver": "", "options": {}}})
}

test_absent_logging_fails if {
	count(ecs_007.violation) == 1 with input as fx.asset({"containers": [object.remove(fx.good_container, ["logging"])]}, {})
}
