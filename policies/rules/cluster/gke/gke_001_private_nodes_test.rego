package posture.rules.gke_001_test

import data.posture.rules.gke_001
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_001.violation with input as asset}

test_private_nodes_pass if {
	paths(fx.gke({})) == set()
}

test_deprecated_flag_alone_still_counts if {
	paths(fx.gke({"networkConfig": {"defaultEnablePrivateNodes": null}})) == set()
}

test_newer_default_overrides_deprecated_flag if {
	paths(fx.gke({"networkConfig": {"defaultEnablePrivateNodes": false}})) == {"nodePools/default-pool/networkConfig/enablePrivateNodes"}
}

test_pool_setting_overrides_cluster_default if {
	paths(fx.gke_pool({"networkConfig": {"enablePrivateNodes": false}})) == {"nodePools/default-pool/networkConfig/enablePrivateNodes"}
}

test_pool_can_be_private_in_a_public_cluster if {
	asset := fx.gke({
		"privateClusterConfig": null,
		"networkConfig": {"defaultEnablePrivateNodes": null},
		"nodePools": [object.union(fx.good_pool, {"networkConfig": {"enablePrivateNodes": true}})],
	})
	paths(asset) == set()
}

test_unset_everywhere_is_api_default_public if {
	asset := fx.gke({"privateClusterConfig": null, "networkConfig": {"defaultEnablePrivateNodes": null}})
	paths(asset) == {"nodePools/default-pool/networkConfig/enablePrivateNodes"}
}

test_cluster_without_pools_judged_by_default if {
	asset := fx.gke({"nodePools": [], "privateClusterConfig": {"enablePrivateNodes": false}, "networkConfig": {"defaultEnablePrivateNodes": null}})
	paths(asset) == {"networkConfig/defaultEnablePrivateNodes"}
}
