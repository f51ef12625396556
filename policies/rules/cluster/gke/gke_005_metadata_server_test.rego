package posture.rules.gke_005_test

import data.posture.rules.gke_005
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_005.violation with input as asset}

test_gke_metadata_passes if {
	paths(fx.gke({})) == set()
}

test_workload_pool_is_left_to_clu_008 if {
	paths(fx.without(["workloadIdentityConfig"])) == set()
}

test_node_metadata_exposed_fails if {
	paths(fx.gke_pool({"config": {"workloadMetadataConfig": {"mode": "GCE_METADATA"}}})) == {"nodePools/default-pool/config/workloadMetadataConfig/mode"}
}

test_absent_metadata_mode_fails_closed if {
	paths(fx.gke_pool({"config": {"workloadMetadataConfig": null}})) == {"nodePools/default-pool/config/workloadMetadataConfig/mode"}
}

test_legacy_endpoints_reenabled_fails if {
	paths(fx.gke_pool({"config": {"metadata": {"disable-legacy-endpoints": "false"}}})) == {"nodePools/default-pool/config/metadata/disable-legacy-endpoints"}
}

test_absent_legacy_endpoint_key_is_api_default_disabled if {
	paths(fx.gke_pool({"config": {"metadata": null}})) == set()
}
