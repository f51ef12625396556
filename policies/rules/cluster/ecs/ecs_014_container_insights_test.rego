package posture.rules.ecs_014_test

import data.posture.rules.ecs_014
import data.posture.rules.ecs_cluster_fixtures_test as fx
import rego.v1

test_enhanced_and_enabled_pass if {
	count(ecs_014.violation) == 0 with input as fx.good
	count(ecs_014.violation) == 0 with input as fx.asset({"containerInsights": "enabled"})
}

test_disabled_fails if {
	some v in ecs_014.violation with input as fx.asset({"containerInsights": "disabled"})
	v.path == "settings/containerInsights"
	v.evidence == "disabled"
}

test_empty_cluster_is_judged_too if {
	count(ecs_014.violation) == 1 with input as fx.asset({"containerInsights": "disabled", "activeServices": 0, "runningTasks": 0, "execEnabledServices": []})
}

test_settings_not_read_is_silent if {
	count(ecs_014.violation) == 0 with input as fx.asset({"containerInsights": null})
}

test_kubernetes_clusters_are_not_judged if {
	count(ecs_014.violation) == 0 with input as object.union(fx.good, {"cluster": {"distribution": "eks", "containerInsights": "disabled"}})
}
