package posture.rules.ns_002_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.ns_002
import rego.v1

test_restricted_and_baseline_pass if {
	count(ns_002.violation) == 0 with input as k8s.namespaces.apps
	count(ns_002.violation) == 0 with input as k8s.namespaces.baseline
}

test_unlabelled_namespace_fails if {
	some v in ns_002.violation with input as k8s.namespaces.bare
	v.msg == "namespace bare enforces no Pod Security Standard (no enforce label)"
}

test_privileged_and_audit_only_fail if {
	some v in ns_002.violation with input as k8s.namespaces["privileged-psa"]
	v.msg == "namespace privileged-psa enforces no Pod Security Standard (enforce level privileged)"
	count(ns_002.violation) == 1 with input as k8s.namespaces["audit-only"]
}

test_system_namespaces_are_not_applicable if {
	count(ns_002.violation) == 0 with input as k8s.namespaces["kube-system"]
	count(ns_002.not_applicable) == 1 with input as k8s.namespaces["kube-system"]
	count(ns_002.not_applicable) == 0 with input as k8s.namespaces.bare
	count(ns_002.violation) == 1 with input as k8s.namespaces["kube-system"] with data.config as {"kubernetes": {"systemNamespaces": []}}
	count(ns_002.not_applicable) == 0 with input as k8s.namespaces["kube-system"] with data.config as {"kubernetes": {"systemNamespaces": []}}
}
