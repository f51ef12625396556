package posture.rules.ecs_012_test

import data.posture.rules.ecs_012
import data.posture.rules.ecs_service_fixtures_test as fx
import rego.v1

public_task_set := {
	"id": "ecs-svc/1234567890123456789",
	"networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"], "assignPublicIp": "ENABLED"}},
}

test_private_service_passes if {
	count(ecs_012.violation) == 0 with input as fx.good
}

test_public_service_fails if {
	some v in ecs_012.violation with input as fx.asset({"publicIp": true}, {"service": object.union(fx.good_raw_service, {"networkConfiguration": {"awsvpcConfiguration": {"assignPublicIp": "ENABLED"}}})})
	v.path == "networkConfiguration/assignPublicIp"
}

test_normalized_flag_alone_fails_without_raw if {
	count(ecs_012.violation) == 1 with input as fx.asset({"publicIp": true}, {})
}

test_public_task_set_fails_on_its_own_path if {
	paths := {v.path | some v in ecs_012.violation} with input as fx.asset({"publicIp": true}, {"service": object.union(fx.good_raw_service, {"taskSets": [public_task_set]})})
	paths == {"taskSets/ecs-svc/1234567890123456789/networkConfiguration/assignPublicIp"}
}

test_absent_network_configuration_is_private if {
	count(ecs_012.violation) == 0 with input as fx.asset({}, {"service": object.remove(fx.good_raw_service, ["networkConfiguration"])})
}
