package posture.rules.wkl_010_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_010
import rego.v1

ec2(task_memory, container_memory) := fx.asset(
	{"compatibilities": ["EC2"], "memoryLimitMiB": task_memory, "containers": [object.union(fx.good_container, {"memoryLimitMiB": container_memory})]},
	{"requiresCompatibilities": ["EC2"]},
)

test_limits_pass if {
	count(wkl_010.violation) == 0 with input as fx.good
	count(wkl_010.violation) == 0 with input as ec2(null, 256)
	count(wkl_010.violation) == 0 with input as ec2(512, null)
	count(wkl_010.violation) == 0 with input as k8s.workloads.hardened
}

test_ec2_without_any_limit_fails if {
	some v in wkl_010.violation with input as ec2(null, null)
	v.path == "containers/web/memoryLimitMiB"
}

test_fargate_only_needs_no_container_limit if {
	count(wkl_010.violation) == 0 with input as fx.asset(
		{"compatibilities": ["FARGATE"], "memoryLimitMiB": null, "containers": [object.union(fx.good_container, {"memoryLimitMiB": null})]},
		{},
	)
}

test_absent_compatibilities_is_ec2 if {
	count(wkl_010.violation) == 1 with input as fx.asset(
		{"compatibilities": [], "memoryLimitMiB": null, "containers": [object.remove(fx.good_container, ["memoryLimitMiB"])]},
		{},
	)
}

test_kubernetes_container_without_limits_fails if {
	some v in wkl_010.violation with input as k8s.workloads["no-limits"]
	v.msg == "container app in Pod apps/no-limits has no memory limit, and the workload has none either"
}
