package posture.rules.ecs_001_test

import data.posture.rules.ecs_001
import data.posture.rules.ecs_workload_fixtures_test as fx
import rego.v1

test_unprivileged_passes if {
	count(ecs_001.violation) == 0 with input as fx.good
}

test_privileged_fails if {
	some v in ecs_001.violation with input as fx.container({"privileged": true})
	v.path == "containers/web/privileged"
}

test_absent_privileged_is_false if {
	count(ecs_001.violation) == 0 with input as fx.asset({"containers": [object.remove(fx.good_container, ["privileged"])]}, {})
}

test_kubernetes_workload_not_judged if {
	count(ecs_001.violation) == 0 with input as fx.asset({"platform": "kubernetes", "containers": [object.union(fx.good_container, {"privileged": true})]}, {})
}
