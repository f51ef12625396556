package posture.rules.ecs_015_test

import data.posture.rules.ecs_015
import data.posture.rules.ecs_cluster_fixtures_test as fx
import rego.v1

test_governed_exec_passes if {
	count(ecs_015.violation) == 0 with input as fx.good
	count(ecs_015.violation) == 0 with input as fx.exec({"logging": "DEFAULT", "cloudWatchLogGroup": null})
}

test_no_service_using_exec_passes_whatever_the_configuration if {
	count(ecs_015.violation) == 0 with input as fx.asset({"execEnabledServices": [], "executeCommand": object.union(fx.good_exec, {"logging": "NONE", "kmsKeyId": null})})
}

test_exec_without_logging_fails if {
	some v in ecs_015.violation with input as fx.exec({"logging": "NONE"})
	v.path == "configuration/executeCommandConfiguration/logging"
	v.evidence.services == ["web"]
}

test_override_without_destination_is_not_logged if {
	paths := {v.path | some v in ecs_015.violation} with input as fx.exec({"cloudWatchLogGroup": null})
	paths == {"configuration/executeCommandConfiguration/logging"}
}

test_default_configuration_lacks_a_key if {
	paths := {v.path | some v in ecs_015.violation} with input as fx.exec({"logging": "DEFAULT", "kmsKeyId": null, "cloudWatchLogGroup": null})
	paths == {"configuration/executeCommandConfiguration/kmsKeyId"}
}

test_unencrypted_log_destination_fails if {
	some v in ecs_015.violation with input as fx.exec({"cloudWatchEncryption": false, "s3Bucket": "exec-logs", "s3Encryption": true})
	v.path == "configuration/executeCommandConfiguration/logConfiguration/cloudWatch"
}

test_unread_services_or_configuration_is_silent if {
	count(ecs_015.violation) == 0 with input as fx.asset({"execEnabledServices": null, "executeCommand": object.union(fx.good_exec, {"logging": "NONE"})})
	count(ecs_015.violation) == 0 with input as fx.asset({"executeCommand": null})
}
