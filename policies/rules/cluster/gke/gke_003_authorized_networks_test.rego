package posture.rules.gke_003_test

import data.posture.rules.gke_003
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_003.violation with input as asset}

test_enabled_with_office_range_passes if {
	paths(fx.gke({})) == set()
}

test_disabled_in_new_field_fails if {
	asset := fx.gke({"controlPlaneEndpointsConfig": {"ipEndpointsConfig": {"authorizedNetworksConfig": {"enabled": false}}}})
	paths(asset) == {"masterAuthorizedNetworksConfig/enabled"}
}

test_deprecated_field_decides_when_new_is_silent if {
	asset := fx.gke({
		"masterAuthorizedNetworksConfig": {"enabled": false},
		"controlPlaneEndpointsConfig": {"ipEndpointsConfig": {"authorizedNetworksConfig": null}},
	})
	paths(asset) == {"masterAuthorizedNetworksConfig/enabled"}
}

test_open_block_in_either_place_fails if {
	open := [{"displayName": "all", "cidrBlock": "0.0.0.0/0"}]
	asset := fx.gke({"masterAuthorizedNetworksConfig": {"cidrBlocks": open}})
	some v in gke_003.violation with input as asset
	v.evidence == ["0.0.0.0/0"]
}

test_absent_config_is_api_default_disabled if {
	asset := fx.without(["masterAuthorizedNetworksConfig", "controlPlaneEndpointsConfig"])
	paths(asset) == {"masterAuthorizedNetworksConfig/enabled"}
}

test_no_ip_endpoint_is_not_judged if {
	asset := fx.gke({"controlPlaneEndpointsConfig": {"ipEndpointsConfig": {"enabled": false, "authorizedNetworksConfig": {"enabled": false}}}})
	paths(asset) == set()
}
