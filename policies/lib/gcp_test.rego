package posture.lib.gcp_test

import data.posture.lib.gcp
import rego.v1

asset(cluster) := {"raw": {"cluster": cluster}}

test_public_endpoint_matrix if {
	gcp.public_endpoint(asset({})) == true
	gcp.public_endpoint(asset({"privateClusterConfig": {"enablePrivateEndpoint": true}})) == false
	gcp.public_endpoint(asset({"controlPlaneEndpointsConfig": {"ipEndpointsConfig": {"enablePublicEndpoint": false}}})) == false
	gcp.public_endpoint(asset({
		"privateClusterConfig": {"enablePrivateEndpoint": true},
		"controlPlaneEndpointsConfig": {"ipEndpointsConfig": {"enablePublicEndpoint": true}},
	})) == true
	gcp.public_endpoint(asset({"controlPlaneEndpointsConfig": {"ipEndpointsConfig": {"enabled": false}}})) == false
}

test_private_nodes_precedence if {
	gcp.default_private_nodes(asset({})) == false
	gcp.default_private_nodes(asset({"privateClusterConfig": {"enablePrivateNodes": true}})) == true
	gcp.default_private_nodes(asset({"privateClusterConfig": {"enablePrivateNodes": true}, "networkConfig": {"defaultEnablePrivateNodes": false}})) == false
	gcp.pool_private_nodes(asset({}), {"networkConfig": {"enablePrivateNodes": true}}) == true
}

test_default_service_account_forms if {
	gcp.default_service_account("default")
	gcp.default_service_account("123-compute@developer.gserviceaccount.com")
	not gcp.default_service_account("nodes@p.iam.gserviceaccount.com")
}
