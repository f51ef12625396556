package posture.rules.ecs_011_test

import data.posture.rules.ecs_011
import data.posture.rules.ecs_workload_fixtures_test as fx
import rego.v1

efs(config) := fx.asset({}, {"volumes": [{"name": "shared", "efsVolumeConfiguration": config}]})

test_encrypted_passes if {
	count(ecs_011.violation) == 0 with input as fx.good
}

test_disabled_fails if {
	some v in ecs_011.violation with input as efs({"fileSystemId": "fs-1", "transitEncryption": "DISABLED"})
	v.path == "volumes/shared/efsVolumeConfiguration/transitEncryption"
	v.evidence == "DISABLED"
}

test_absent_setting_is_api_default_disabled if {
	count(ecs_011.violation) == 1 with input as efs({"fileSystemId": "fs-1"})
}

test_no_task_definition_collected_is_silent if {
	count(ecs_011.violation) == 0 with input as object.union(object.remove(fx.good, ["raw"]), {"raw": {"taskDefinition": null}})
}
