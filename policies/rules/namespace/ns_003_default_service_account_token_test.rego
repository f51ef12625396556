package posture.rules.ns_003_test

import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.ns_003
import rego.v1

test_default_account_without_token_passes if {
	count(ns_003.violation) == 0 with input as k8s.namespaces.apps
}

test_default_account_with_token_fails if {
	some v in ns_003.violation with input as k8s.namespaces.bare
	v.evidence == null
}

test_not_collected_is_silent if {
	count(ns_003.violation) == 0 with input as json.remove(k8s.namespaces.bare, ["namespace/serviceAccounts"])
}
