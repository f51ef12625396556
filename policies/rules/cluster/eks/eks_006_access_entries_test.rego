package posture.rules.eks_006_test

import data.posture.rules.eks_006
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

access(config) := fx.raw_cluster({"accessConfig": config})

test_api_mode_without_bootstrap_admin_passes if {
	count(eks_006.violation) == 0 with input as fx.good
	count(eks_006.violation) == 0 with input as access({"authenticationMode": "API_AND_CONFIG_MAP", "bootstrapClusterCreatorAdminPermissions": false})
}

test_config_map_mode_fails if {
	some v in eks_006.violation with input as access({"authenticationMode": "CONFIG_MAP", "bootstrapClusterCreatorAdminPermissions": false})
	v.path == "accessConfig/authenticationMode"
}

test_bootstrap_admin_fails if {
	some v in eks_006.violation with input as access({"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": true})
	v.path == "accessConfig/bootstrapClusterCreatorAdminPermissions"
}

test_absent_access_config_takes_api_defaults if {
	count(eks_006.violation) == 2 with input as fx.asset({}, {"cluster": object.remove(fx.good_raw_cluster, ["accessConfig"])})
}

test_not_collected_is_silent if {
	count(eks_006.violation) == 0 with input as fx.asset({}, {})
}
