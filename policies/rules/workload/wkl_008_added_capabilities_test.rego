package posture.rules.wkl_008_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_008
import rego.v1

test_dropped_capabilities_pass if {
	count(wkl_008.violation) == 0 with input as fx.good
	count(wkl_008.violation) == 0 with input as k8s.workloads.hardened
}

test_default_set_capabilities_pass if {
	count(wkl_008.violation) == 0 with input as fx.container({"capabilities": {"add": ["NET_BIND_SERVICE", "cap_chown"], "drop": ["ALL"]}})
	count(wkl_008.violation) == 0 with input as k8s.workloads["net-bind-service"]
	count(wkl_008.violation) == 0 with input as k8s.workloads["default-set-capability"]
}

test_capabilities_beyond_the_default_set_fail if {
	some v in wkl_008.violation with input as fx.container({"capabilities": {"add": ["NET_BIND_SERVICE", "CAP_SYS_ADMIN", "sys_ptrace", "ALL"], "drop": []}})
	v.path == "containers/web/capabilities/add"
	v.evidence == ["ALL", "SYS_ADMIN", "SYS_PTRACE"]
}

test_kubernetes_net_raw_and_sys_admin_fail if {
	some v in wkl_008.violation with input as k8s.workloads["added-capabilities"]
	v.evidence == ["NET_RAW", "SYS_ADMIN"]
	v.msg == "container app in Pod apps/added-capabilities adds kernel capabilities NET_RAW, SYS_ADMIN"
}
