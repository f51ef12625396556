package posture.rules.wkl_011_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_011
import rego.v1

ec2(task_cpu) := fx.asset({"compatibilities": ["EC2"], "cpuLimitMillicores": task_cpu}, {"requiresCompatibilities": ["EC2"]})

test_limits_pass if {
	count(wkl_011.violation) == 0 with input as fx.good
	count(wkl_011.violation) == 0 with input as ec2(500)
	count(wkl_011.violation) == 0 with input as k8s.workloads.hardened
}

test_ec2_task_without_cpu_fails if {
	some v in wkl_011.violation with input as ec2(null)
	v.path == "containers/web/cpuLimitMillicores"
}

test_kubernetes_container_without_limit_fails if {
	some v in wkl_011.violation with input as k8s.workloads["no-limits"]
	v.msg == "container app in Pod apps/no-limits has no CPU limit, and the workload has none either"
}
