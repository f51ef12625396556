package posture.rules.gke_012_test

import data.posture.rules.gke_012
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_012.violation with input as asset}

test_dataplane_v2_passes if {
	paths(fx.gke({})) == set()
}

test_calico_passes if {
	paths(fx.gke({"networkConfig": {"datapathProvider": "LEGACY_DATAPATH"}, "networkPolicy": {"provider": "CALICO", "enabled": true}})) == set()
}

test_no_enforcement_fails if {
	paths(fx.gke({"networkConfig": {"datapathProvider": "LEGACY_DATAPATH"}, "networkPolicy": {"enabled": false}})) == {"networkPolicy/enabled"}
}

test_absent_fields_are_api_default_no_policy_routes_based if {
	paths(fx.without(["networkConfig", "networkPolicy", "ipAllocationPolicy"])) == {"networkPolicy/enabled", "ipAllocationPolicy/useIpAliases"}
}
