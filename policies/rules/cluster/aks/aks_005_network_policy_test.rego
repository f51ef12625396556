package posture.rules.aks_005_test

import data.posture.rules.aks_005
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

test_calico_passes if {
	count(aks_005.violation) == 0 with input as fx.rest({"networkProfile": {"networkPolicy": "calico"}})
}

test_none_fails if {
	some v in aks_005.violation with input as fx.rest({"networkProfile": {"networkPolicy": "none"}})
	v.evidence == "none"
}

test_absent_policy_is_api_default_none if {
	count(aks_005.violation) == 1 with input as fx.rest({"networkProfile": {"networkPolicy": null}})
}

test_sdk_form_none_fails if {
	count(aks_005.violation) == 1 with input as fx.sdk({"networkProfile": {"networkPolicy": "None"}})
}
