package posture.rules.ecs_010_test

import data.posture.rules.ecs_010
import data.posture.rules.ecs_workload_fixtures_test as fx
import rego.v1

ec2(task_memory, container_memory) := fx.asset(
	{"memoryLimitMiB": task_memory, "containers": [object.union(fx.good_container, {"memoryLimitMiB": container_memory})]},
	{"requiresCompatibilities": ["EC2"]},
)

test_limits_pass if {
	count(ecs_010.violation) == 0 with input as fx.good
	count(ecs_010.violation) == 0 with input as ec2(null, 256)
	count(ecs_010.violation) == 0 with input as ec2(512, null)
}

test_ec2_without_any_limit_fails if {
	some v in ecs_010.violation with input as ec2(null, null)
	v.path == "containers/web/memoryLimitMiB"
}

test_absent_requires_compatibilities_is_ec2 if {
	count(ecs_010.violation) == 1 with input as fx.asset(
		{"memoryLimitMiB": null, "containers": [object.remove(fx.good_container, ["memoryLimitMiB"])]},
		{},
	)
		with input.raw.taskDefinition as object.remove(fx.good_task_definition, ["requiresCompatibilities"])
}
