package posture.rules.aks_007_test

import data.posture.rules.aks_007
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

test_kms_on_passes if {
	count(aks_007.violation) == 0 with input as fx.rest({})
}

test_kms_off_fails if {
	some v in aks_007.violation with input as fx.rest({"securityProfile": {"azureKeyVaultKms": {"enabled": false}}})
	v.evidence == false
}

test_absent_kms_is_api_default_off if {
	count(aks_007.violation) == 1 with input as fx.rest({"securityProfile": {"azureKeyVaultKms": null}})
}

test_sdk_form_kms_off_fails if {
	count(aks_007.violation) == 1 with input as fx.sdk({"securityProfile": {"azureKeyVaultKms": {"enabled": false}}})
}
