package posture.rules.aks_001_test

import data.posture.rules.aks_001
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

test_private_cluster_passes if {
	count(aks_001.violation) == 0 with input as fx.rest({})
}

test_public_cluster_fails if {
	some v in aks_001.violation with input as fx.rest({"apiServerAccessProfile": {"enablePrivateCluster": false}})
	v.evidence == false
}

test_absent_field_is_api_default_public if {
	some v in aks_001.violation with input as fx.rest({"apiServerAccessProfile": null})
	v.evidence == null
}

test_sdk_form_public_cluster_fails if {
	count(aks_001.violation) == 1 with input as fx.sdk({"apiServerAccessProfile": {"enablePrivateCluster": false}})
}

test_non_aks_cluster_is_ignored if {
	count(aks_001.violation) == 0 with input as object.union(fx.rest({"apiServerAccessProfile": null}), {"cluster": {"distribution": "eks"}})
}
