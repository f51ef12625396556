package posture.rules.clu_005_test

import data.posture.rules.clu_005
import data.posture.rules.clu_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in clu_005.violation with input as asset with data.config as fx.config}

test_old_control_plane_fails_with_the_earlier_path if {
	earlier := {"eks": null, "aks": "currentKubernetesVersion", "gke": "currentMasterVersion"}
	every d in fx.distributions {
		some v in clu_005.violation with input as fx.cluster(d, {"version": "1.30.5", "nodePools": []}) with data.config as fx.config
		v.path == "version"
		v.aliasPath == earlier[d]
	}
}

test_minor_is_compared_numerically if {
	# "1.9" sorts after "1.31" as a string but is far older.
	paths(fx.cluster("aks", {"version": "1.9.11", "nodePools": []})) == {"version"}
}

test_old_node_pool_fails_with_the_earlier_path if {
	earlier := {"eks": null, "aks": "agentPoolProfiles/old/orchestratorVersion", "gke": null}
	every d in fx.distributions {
		some v in clu_005.violation with input as fx.cluster(d, {"version": "1.31", "nodePools": [fx.pool("old", "1.30.3")]}) with data.config as fx.config
		v.path == "nodePools/old/version"
		v.aliasPath == earlier[d]
		contains(v.msg, "older than the minimum 1.31")
		contains(v.msg, "behind its control plane's 1.31")
	}
}

test_node_pool_behind_its_control_plane_fails if {
	paths(fx.cluster("eks", {"version": "1.33", "nodePools": [fx.pool("lagging", "1.32")]})) == {"nodePools/lagging/version"}
}

test_node_pool_in_step_or_without_a_version_passes if {
	paths(fx.cluster("gke", {"version": "1.32.2-gke.1182003", "nodePools": [fx.pool("a", "1.32.1-gke.1"), fx.pool("b", null)]})) == set()
}

test_unreadable_version_fails_closed if {
	paths(fx.cluster("eks", {"version": "latest", "nodePools": []})) == {"version"}
}

test_unknown_version_is_not_judged if {
	paths(fx.cluster("aks", {"version": null, "nodePools": []})) == set()
}

test_minimum_comes_from_config if {
	count(clu_005.violation) == 0 with input as fx.cluster("aks", {"version": "1.29.4", "nodePools": []})
		with data.config as {"kubernetes": {"minVersion": "1.28"}}
}
