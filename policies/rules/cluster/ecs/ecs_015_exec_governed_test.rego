package posture.rules.ecs_015_test

import data.posture.rules.ecs_015
import data.posture.rules.ecs_service_fixtures_test as fx
import rego.v1

exec_with(cluster) := fx.asset({"execCommand": true}, {"service": object.union(fx.good_raw_service, {"enableExecuteCommand": true}), "cluster": cluster})

test_exec_off_passes_whatever_the_cluster if {
	count(ecs_015.violation) == 0 with input as fx.with_cluster(object.remove(fx.good_cluster, ["configuration"]))
}

test_governed_exec_passes if {
	count(ecs_015.violation) == 0 with input as exec_with(fx.good_cluster)
}

test_exec_without_logging_fails if {
	some v in ecs_015.violation with input as exec_with(object.union(fx.good_cluster, {"configuration": {"executeCommandConfiguration": {"logging": "NONE"}}}))
	v.path == "cluster/configuration/executeCommandConfiguration/logging"
}

test_absent_configuration_lacks_a_key if {
	paths := {v.path | some v in ecs_015.violation} with input as exec_with(object.remove(fx.good_cluster, ["configuration"]))
	paths == {"cluster/configuration/executeCommandConfiguration/kmsKeyId"}
}

test_cluster_not_collected_is_silent if {
	count(ecs_015.violation) == 0 with input as fx.asset({"execCommand": true}, {"service": fx.good_raw_service})
}
