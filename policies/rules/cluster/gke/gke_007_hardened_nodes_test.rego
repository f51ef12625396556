package posture.rules.gke_007_test

import data.posture.rules.gke_007
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_007.violation with input as asset}

test_shielded_cos_nodes_pass if {
	paths(fx.gke({})) == set()
}

test_shielded_nodes_off_fails if {
	paths(fx.gke({"shieldedNodes": {"enabled": false}})) == {"shieldedNodes/enabled"}
}

test_absent_shielded_instance_config_is_proto_default_off if {
	paths(fx.gke_pool({"config": {"shieldedInstanceConfig": null}})) == {
		"nodePools/default-pool/config/shieldedInstanceConfig/enableSecureBoot",
		"nodePools/default-pool/config/shieldedInstanceConfig/enableIntegrityMonitoring",
	}
}

test_ubuntu_image_fails if {
	some v in gke_007.violation with input as fx.gke_pool({"config": {"imageType": "UBUNTU_CONTAINERD"}})
	v.evidence == "UBUNTU_CONTAINERD"
}

test_absent_image_type_is_api_default_cos if {
	paths(fx.gke_pool({"config": {"imageType": null}})) == set()
}
