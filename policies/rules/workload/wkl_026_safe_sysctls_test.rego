package posture.rules.wkl_026_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_026
import rego.v1

test_none_or_safe_sysctls_pass if {
	count(wkl_026.violation) == 0 with input as fx.good
	count(wkl_026.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_026.violation) == 0 with input as k8s.workloads["safe-sysctl"]
}

test_unsafe_sysctl_fails if {
	some v in wkl_026.violation with input as k8s.workloads["unsafe-sysctl"]
	v.evidence == ["kernel.msgmax"]
	some w in wkl_026.violation with input as fx.asset({"sysctls": [{"name": "net.core.somaxconn", "value": "1024"}]}, {})
	w.msg == "task definition web sets unsafe sysctls net.core.somaxconn"
}
