package posture.rules.wkl_020_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_020
import rego.v1

test_linux_pod_passes if {
	count(wkl_020.violation) == 0 with input as k8s.workloads.hardened
}

test_host_process_fails if {
	some v in wkl_020.violation with input as k8s.workloads["host-process"]
	v.path == "containers/app/windowsOptions/hostProcess"
}
