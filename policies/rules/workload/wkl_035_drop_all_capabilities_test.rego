package posture.rules.wkl_035_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_035
import rego.v1

test_drop_all_passes if {
	count(wkl_035.violation) == 0 with input as fx.good
	count(wkl_035.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_035.violation) == 0 with input as k8s.workloads["net-bind-service"]
}

test_keeping_the_default_set_fails if {
	paths := {v.path | some v in wkl_035.violation} with input as k8s.workloads["no-drop"]
	paths == {"containers/app/capabilities/drop"}
	count(wkl_035.violation) == 1 with input as fx.container({"capabilities": {"add": [], "drop": ["NET_RAW"]}})
}

test_adding_back_a_default_capability_fails if {
	evidence := [v.evidence | some v in wkl_035.violation] with input as k8s.workloads["default-set-capability"]
	evidence == [["CHOWN"]]
}

test_capabilities_beyond_the_default_set_are_left_to_wkl_008 if {
	count(wkl_035.violation) == 0 with input as k8s.workloads["added-capabilities"]
}
