package posture.rules.wkl_042_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_042
import rego.v1

test_dedicated_account_passes if {
	count(wkl_042.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_042.violation) == 0 with input as k8s.workloads["token-mounted"]
}

test_default_account_without_token_passes if {
	count(wkl_042.violation) == 0 with input as k8s.workloads["default-service-account"]
}

test_default_account_with_token_fails if {
	some v in wkl_042.violation with input as object.union(
		k8s.workloads["default-service-account"],
		{"workload": {"kubernetes": {"serviceAccount": {"name": "default", "automountToken": true, "automountSource": "default"}}}},
	)
	v.path == "serviceAccount/name"
}
