package posture.rules.gke_008_test

import data.posture.rules.gke_008
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_008.violation with input as asset with data.config as fx.config}

test_channel_and_autoupgrade_pass if {
	paths(fx.gke({})) == set()
}

test_absent_management_is_proto_default_off if {
	paths(fx.gke_pool({"management": null})) == {"nodePools/default-pool/management/autoRepair", "nodePools/default-pool/management/autoUpgrade"}
}

test_unspecified_channel_fails if {
	paths(fx.gke({"releaseChannel": {"channel": "UNSPECIFIED"}})) == {"releaseChannel/channel"}
}

test_absent_channel_is_api_default_unspecified if {
	paths(fx.without(["releaseChannel"])) == {"releaseChannel/channel"}
}

test_versions_are_left_to_clu_005 if {
	asset := fx.gke({"currentMasterVersion": "1.30.5-gke.1014001", "nodePools": [object.union(fx.good_pool, {"version": "1.29.8-gke.1"})]})
	paths(asset) == set()
}
