package posture.rules.rbac_011_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.rbac_011
import rego.v1

test_named_subjects_pass if {
	count(rbac_011.violation) == 0 with input as k8s.bindings["least-privilege"]
}

test_anonymous_and_all_authenticated_fail if {
	some v in rbac_011.violation with input as k8s.bindings["anonymous-view"]
	count(v.evidence) == 1
	every e in ["system:anonymous"] {
		e in v.evidence
	}
	some w in rbac_011.violation with input as k8s.bindings["authenticated-edit"]
	w.msg == "ClusterRoleBinding authenticated-edit grants ClusterRole edit to system:authenticated"
}

test_the_api_servers_discovery_binding_is_not_judged if {
	count(rbac_011.violation) == 0 with input as k8s.bindings["system:public-info-viewer"]
}
