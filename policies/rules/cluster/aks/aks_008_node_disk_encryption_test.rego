package posture.rules.aks_008_test

import data.posture.rules.aks_008
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in aks_008.violation with input as asset}

test_des_and_host_encryption_passes if {
	count(aks_008.violation) == 0 with input as fx.good
}

test_missing_disk_encryption_set_fails if {
	paths(fx.aks({"diskEncryptionSetId": null})) == {"diskEncryptionSetID"}
}

test_host_encryption_unset_is_api_default_off if {
	paths(fx.aks_pool({"enableEncryptionAtHost": null})) == {"agentPoolProfiles/system/enableEncryptionAtHost"}
}

test_pool_without_host_encryption_fails if {
	paths(fx.aks_pool({"enableEncryptionAtHost": false})) == {"agentPoolProfiles/system/enableEncryptionAtHost"}
}
