package posture.rules.wkl_021_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_021
import rego.v1

test_no_host_paths_pass if {
	count(wkl_021.violation) == 0 with input as fx.good
	count(wkl_021.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_021.violation) == 0 with input as k8s.workloads["secret-files"]
}

test_any_host_path_fails if {
	some v in wkl_021.violation with input as k8s.workloads["host-path"]
	v.path == "volumes/logs/hostPath"
	v.evidence == "/var/log/apps"
	some w in wkl_021.violation with input as fx.asset({"volumes": [{"name": "data", "source": "host", "hostPath": "/data"}]}, {})
	w.msg == "task definition web declares host path volume data (/data)"
}
