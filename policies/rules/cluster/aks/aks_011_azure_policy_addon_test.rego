package posture.rules.aks_011_test

import data.posture.rules.aks_011
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

test_addon_on_passes if {
	count(aks_011.violation) == 0 with input as fx.rest({})
}

test_addon_off_fails if {
	some v in aks_011.violation with input as fx.rest({"addonProfiles": {"azurepolicy": {"enabled": false}}})
	v.evidence == false
}

test_absent_addon_is_api_default_off if {
	count(aks_011.violation) == 1 with input as fx.rest({"addonProfiles": null})
}

test_add_on_key_case_does_not_matter if {
	# ARM has returned the key as both azurepolicy and azurePolicy.
	resource := object.union(object.remove(fx.good_sdk, ["addonProfiles"]), {"addonProfiles": {"azurePolicy": {"enabled": true}}})
	count(aks_011.violation) == 0 with input as fx.asset("arm-sdk", resource)
}
