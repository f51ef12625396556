package posture.rules.wkl_001_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_001
import rego.v1

test_unprivileged_passes if {
	count(wkl_001.violation) == 0 with input as fx.good
	count(wkl_001.violation) == 0 with input as k8s.workloads.hardened
}

test_privileged_ecs_container_fails if {
	some v in wkl_001.violation with input as fx.container({"privileged": true})
	v.path == "containers/web/privileged"
	v.msg == "container web in task definition web runs privileged"
}

test_absent_privileged_is_false if {
	count(wkl_001.violation) == 0 with input as fx.asset({"containers": [object.remove(fx.good_container, ["privileged"])]}, {})
}

test_privileged_kubernetes_container_fails if {
	some v in wkl_001.violation with input as k8s.workloads.privileged
	v.path == "containers/app/privileged"
	v.msg == "container app in Pod apps/privileged runs privileged"
}

test_privileged_init_container_fails if {
	paths := {v.path | some v in wkl_001.violation} with input as k8s.workloads["privileged-init"]
	paths == {"containers/setup/privileged"}
}

test_controller_template_is_judged if {
	some v in wkl_001.violation with input as k8s.workloads["deployment-privileged"]
	v.msg == "container app in Deployment apps/deployment-privileged runs privileged"
}
