package posture.rules.aks_008_test

import data.posture.rules.aks_008
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in aks_008.violation with input as asset}

test_des_and_host_encryption_passes if {
	count(aks_008.violation) == 0 with input as fx.rest({})
}

test_missing_disk_encryption_set_fails if {
	paths(fx.rest({"diskEncryptionSetID": null})) == {"diskEncryptionSetID"}
}

test_host_encryption_absent_is_api_default_off if {
	pool := object.remove(fx.good_pool, ["enableEncryptionAtHost"])
	paths(fx.rest({"agentPoolProfiles": [pool]})) == {"agentPoolProfiles/system/enableEncryptionAtHost"}
}

test_az_cli_spelling_of_disk_encryption_set_is_read if {
	# `az aks show` spells it diskEncryptionSetId.
	des := "/subscriptions/sub-1/resourceGroups/rg-shop/providers/Microsoft.Compute/diskEncryptionSets/des"
	resource := object.union(object.remove(fx.good_sdk, ["diskEncryptionSetID"]), {"diskEncryptionSetId": des})
	count(aks_008.violation) == 0 with input as fx.asset("arm-sdk", resource)
}

test_sdk_pool_without_host_encryption_fails if {
	pool := object.union(fx.good_pool, {"enableEncryptionAtHost": false})
	paths(fx.sdk({"agentPoolProfiles": [pool]})) == {"agentPoolProfiles/system/enableEncryptionAtHost"}
}
