package posture.rules.ecs_014_test

import data.posture.rules.ecs_014
import data.posture.rules.ecs_service_fixtures_test as fx
import rego.v1

test_enhanced_and_enabled_pass if {
	count(ecs_014.violation) == 0 with input as fx.good
	count(ecs_014.violation) == 0 with input as fx.with_cluster(object.union(fx.good_cluster, {"settings": [{"name": "containerInsights", "value": "enabled"}]}))
}

test_disabled_fails if {
	some v in ecs_014.violation with input as fx.with_cluster(object.union(fx.good_cluster, {"settings": [{"name": "containerInsights", "value": "disabled"}]}))
	v.path == "cluster/settings/containerInsights"
	v.evidence == "disabled"
}

test_absent_setting_is_disabled if {
	count(ecs_014.violation) == 1 with input as fx.with_cluster(object.remove(fx.good_cluster, ["settings"]))
}

test_cluster_not_collected_is_silent if {
	count(ecs_014.violation) == 0 with input as fx.asset({}, {"service": fx.good_raw_service})
}
