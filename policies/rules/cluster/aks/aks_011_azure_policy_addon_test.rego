package posture.rules.aks_011_test

import data.posture.rules.aks_011
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

test_addon_on_passes if {
	count(aks_011.violation) == 0 with input as fx.good
}

test_addon_off_fails if {
	some v in aks_011.violation with input as fx.aks({"azurePolicyAddon": false})
	v.evidence == false
}

test_unset_addon_is_api_default_off if {
	count(aks_011.violation) == 1 with input as fx.aks({"azurePolicyAddon": null})
}
