package posture.rules.wkl_005_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_005
import rego.v1

test_private_namespaces_pass if {
	count(wkl_005.violation) == 0 with input as fx.good
	count(wkl_005.violation) == 0 with input as k8s.workloads.hardened
}

test_host_pid_fails if {
	some v in wkl_005.violation with input as fx.asset({"hostPid": true}, {"pidMode": "host"})
	v.path == "pidMode"
}

test_host_pid_and_ipc_fail_separately if {
	paths := {v.path | some v in wkl_005.violation} with input as fx.asset({"hostPid": true, "hostIpc": true}, {})
	paths == {"pidMode", "ipcMode"}
}

test_absent_flags_are_private if {
	count(wkl_005.violation) == 0 with input as fx.asset({}, {}) with input.workload as object.remove(fx.good_workload, ["hostPid", "hostIpc"])
}

test_kubernetes_host_pid_and_ipc_fail if {
	some v in wkl_005.violation with input as k8s.workloads["host-pid"]
	v.path == "hostPID"
	v.msg == "Pod apps/host-pid shares the host PID namespace"
	some w in wkl_005.violation with input as k8s.workloads["host-ipc"]
	w.path == "hostIPC"
}
