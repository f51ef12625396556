package posture.rules.gke_002_test

import data.posture.rules.gke_002
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

test_private_endpoint_passes if {
	count(gke_002.violation) == 0 with input as fx.gke({})
}

test_public_endpoint_in_new_field_fails_even_if_deprecated_says_private if {
	asset := fx.gke({"controlPlaneEndpointsConfig": {"ipEndpointsConfig": {"enablePublicEndpoint": true}}})
	some v in gke_002.violation with input as asset
	v.evidence == {"enablePublicEndpoint": true, "enablePrivateEndpoint": true}
}

test_ip_endpoint_disabled_is_private if {
	asset := fx.gke({
		"privateClusterConfig": {"enablePrivateEndpoint": false},
		"controlPlaneEndpointsConfig": {"ipEndpointsConfig": {"enabled": false, "enablePublicEndpoint": true}},
	})
	count(gke_002.violation) == 0 with input as asset
}

test_deprecated_field_decides_when_new_one_is_unset if {
	asset := fx.gke({
		"privateClusterConfig": {"enablePrivateEndpoint": true},
		"controlPlaneEndpointsConfig": null,
	})
	count(gke_002.violation) == 0 with input as asset
}

test_deprecated_public_endpoint_fails if {
	asset := fx.gke({
		"privateClusterConfig": {"enablePrivateEndpoint": false},
		"controlPlaneEndpointsConfig": null,
	})
	count(gke_002.violation) == 1 with input as asset
}

test_nothing_set_is_api_default_public if {
	count(gke_002.violation) == 1 with input as fx.without(["privateClusterConfig", "controlPlaneEndpointsConfig"])
}
