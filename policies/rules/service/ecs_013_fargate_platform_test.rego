package posture.rules.ecs_013_test

import data.posture.rules.ecs_013
import data.posture.rules.ecs_service_fixtures_test as fx
import rego.v1

fargate(version, family) := fx.asset({"platformVersion": version}, {"service": object.union(fx.good_raw_service, {"platformFamily": family})})

test_latest_passes if {
	count(ecs_013.violation) == 0 with input as fx.good with data.config as fx.config
}

test_newest_number_passes if {
	count(ecs_013.violation) == 0 with input as fargate("1.4.0", "Linux") with data.config as fx.config
	count(ecs_013.violation) == 0 with input as fargate("1.0.0", "WINDOWS_SERVER_2019_CORE") with data.config as fx.config
}

test_old_linux_version_fails if {
	some v in ecs_013.violation with input as fargate("1.3.0", "Linux") with data.config as fx.config
	v.path == "platformVersion"
	v.evidence.newest == "1.4.0"
}

test_version_compared_numerically if {
	count(ecs_013.violation) == 1 with input as fargate("1.4.0", "Linux")
		with data.config as {"ecs": {"fargatePlatformVersions": {"linux": "1.10.0", "windows": "1.0.0"}}}
}

test_absent_version_is_latest if {
	count(ecs_013.violation) == 0 with input as fargate(null, "Linux") with data.config as fx.config
}

test_fargate_capacity_provider_is_judged if {
	count(ecs_013.violation) == 1 with input as fx.asset(
		{"launchType": null, "platformVersion": "1.3.0"},
		{"service": object.union(object.remove(fx.good_raw_service, ["launchType"]), {"capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1}]})},
	)
		with data.config as fx.config
}

test_ec2_launch_type_not_judged if {
	count(ecs_013.violation) == 0 with input as fx.asset({"launchType": "EC2", "platformVersion": "1.3.0"}, {})
		with data.config as fx.config
}
