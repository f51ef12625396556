package posture.rules.gke_012_test

import data.posture.rules.gke_012
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_012.violation with input as asset}

test_vpc_native_passes if {
	paths(fx.gke({})) == set()
}

test_routes_based_fails if {
	paths(fx.gke({"ipAllocationPolicy": {"useIpAliases": false}})) == {"ipAllocationPolicy/useIpAliases"}
}

test_absent_ip_allocation_is_api_default_routes_based if {
	paths(fx.without(["ipAllocationPolicy"])) == {"ipAllocationPolicy/useIpAliases"}
}

test_network_policy_is_left_to_clu_006 if {
	paths(fx.gke({"networkConfig": {"datapathProvider": "LEGACY_DATAPATH"}, "networkPolicy": {"enabled": false}})) == set()
}
