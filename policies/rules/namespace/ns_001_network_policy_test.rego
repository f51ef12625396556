package posture.rules.ns_001_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.ns_001
import rego.v1

test_namespace_with_policy_passes if {
	count(ns_001.violation) == 0 with input as k8s.namespaces.apps
}

test_namespace_without_policy_fails if {
	some v in ns_001.violation with input as k8s.namespaces.bare
	v.msg == "namespace bare has no network policy (0 workloads in it)"
}
