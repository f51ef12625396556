package posture.rules.aks_004_test

import data.posture.rules.aks_004
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in aks_004.violation with input as asset}

test_entra_and_no_local_accounts_passes if {
	count(aks_004.violation) == 0 with input as fx.good
}

test_missing_aad_profile_fails if {
	paths(fx.aks({"entraId": false})) == {"aadProfile"}
}

test_local_accounts_enabled_fails if {
	paths(fx.aks({"disableLocalAccounts": false})) == {"disableLocalAccounts"}
}

test_unset_disable_local_accounts_is_api_default_allowed if {
	some v in aks_004.violation with input as fx.aks({"disableLocalAccounts": null})
	v.evidence == null
}

test_both_missing_fails_twice if {
	paths(fx.aks({"entraId": false, "disableLocalAccounts": null})) == {"aadProfile", "disableLocalAccounts"}
}
