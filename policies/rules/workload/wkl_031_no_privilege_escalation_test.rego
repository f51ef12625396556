package posture.rules.wkl_031_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_031
import rego.v1

test_escalation_off_passes if {
	count(wkl_031.violation) == 0 with input as fx.good
	count(wkl_031.violation) == 0 with input as k8s.workloads.hardened
}

test_escalation_allowed_or_unset_fails if {
	some v in wkl_031.violation with input as k8s.workloads["escalation-allowed"]
	v.evidence == true
	some w in wkl_031.violation with input as k8s.workloads["escalation-unset"]
	w.evidence == null
	count(wkl_031.violation) == 1 with input as fx.container({"allowPrivilegeEscalation": null})
}

test_windows_is_exempt if {
	count(wkl_031.violation) == 0 with input as k8s.workloads["host-process"]
}
