package posture.rules.wkl_022_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_022
import rego.v1

test_default_and_localhost_profiles_pass if {
	count(wkl_022.violation) == 0 with input as fx.good
	count(wkl_022.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_022.violation) == 0 with input as k8s.workloads["apparmor-localhost"]
}

test_unconfined_fails_by_field_annotation_or_docker_option if {
	count(wkl_022.violation) == 1 with input as k8s.workloads["apparmor-unconfined"]
	some v in wkl_022.violation with input as k8s.workloads["apparmor-annotation"]
	v.path == "containers/app/appArmorProfile"
	count(wkl_022.violation) == 1 with input as fx.container({"appArmorProfile": {"type": "Unconfined", "localhostProfile": null}})
}
