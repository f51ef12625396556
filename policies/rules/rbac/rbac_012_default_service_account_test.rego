package posture.rules.rbac_012_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.rbac_012
import rego.v1

test_dedicated_account_passes if {
	count(rbac_012.violation) == 0 with input as k8s.bindings["least-privilege"]
}

test_default_account_fails if {
	some v in rbac_012.violation with input as k8s.bindings["default-sa-reader"]
	v.path == "subjects/ServiceAccount/apps/default"
}
