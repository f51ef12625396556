package posture.rules.wkl_041_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_041
import rego.v1

test_own_namespace_passes if {
	count(wkl_041.violation) == 0 with input as k8s.workloads.hardened
}

test_default_namespace_fails if {
	some v in wkl_041.violation with input as k8s.workloads["in-default-namespace"]
	v.msg == "Pod default/in-default-namespace runs in the default namespace"
}
