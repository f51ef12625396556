package posture.rules.ecs_005_test

import data.posture.rules.ecs_005
import data.posture.rules.ecs_workload_fixtures_test as fx
import rego.v1

test_private_namespaces_pass if {
	count(ecs_005.violation) == 0 with input as fx.good
}

test_host_pid_fails if {
	some v in ecs_005.violation with input as fx.asset({"hostPid": true}, {"pidMode": "host"})
	v.path == "pidMode"
}

test_host_pid_and_ipc_fail_separately if {
	paths := {v.path | some v in ecs_005.violation} with input as fx.asset({"hostPid": true, "hostIpc": true}, {})
	paths == {"pidMode", "ipcMode"}
}

test_absent_flags_are_private if {
	count(ecs_005.violation) == 0 with input as fx.asset({}, {}) with input.workload as object.remove(fx.good_workload, ["hostPid", "hostIpc"])
}
