package posture.rules.ns_004_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.ns_004
import rego.v1

test_clean_namespace_passes if {
	count(ns_004.violation) == 0 with input as k8s.namespaces.apps
}

test_configmap_credentials_fail_without_their_values if {
	found := {[v.evidence.key, v.evidence.matched] | some v in ns_004.violation} with input as k8s.namespaces.bare
	found == {["DB_PASSWORD", "credential-key"], ["upstream.ini", "aws-access-key-id"]}
	not contains(json.marshal(ns_004.violation), "correct-horse") with input as k8s.namespaces.bare
}
