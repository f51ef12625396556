package posture.rules.eks_005_test

import data.posture.rules.eks_005
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

versions(cluster, nodes) := fx.normalized({"version": cluster, "nodePools": [object.union(fx.good_pool, {"version": nodes})]})

test_current_versions_pass if {
	count(eks_005.violation) == 0 with input as fx.good with data.config as fx.config
}

test_old_control_plane_fails if {
	some v in eks_005.violation with input as versions("1.29", "1.29") with data.config as fx.config
	v.path == "version"
	v.evidence.minimum == "1.31"
}

test_minor_versions_compare_as_numbers if {
	count(eks_005.violation) == 0 with input as versions("1.31", "1.31") with data.config as {"kubernetes": {"minVersion": "1.9"}}
	count(eks_005.violation) == 1 with input as versions("1.9", "1.9") with data.config as {"kubernetes": {"minVersion": "1.10"}}
}

test_node_group_behind_fails if {
	some v in eks_005.violation with input as versions("1.32", "1.31") with data.config as fx.config
	v.path == "nodePools/general/version"
}

test_node_group_without_version_not_judged if {
	count(eks_005.violation) == 0 with input as versions("1.32", null) with data.config as fx.config
}
