package posture.rules.wkl_027_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_027
import rego.v1

test_probes_without_host_pass if {
	count(wkl_027.violation) == 0 with input as k8s.workloads.hardened
}

test_probe_host_fails if {
	some v in wkl_027.violation with input as k8s.workloads["probe-host"]
	v.path == "containers/app/livenessProbe.httpGet"
	v.evidence == "169.254.169.254"
}
