package posture.rules.aks_010_test

import data.posture.rules.aks_010
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in aks_010.violation with input as asset with data.config as fx.config}

test_supported_version_with_channels_passes if {
	paths(fx.rest({})) == set()
}

test_old_control_plane_fails if {
	paths(fx.rest({"currentKubernetesVersion": "1.29.4", "kubernetesVersion": "1.29"})) == {"currentKubernetesVersion"}
}

test_minor_is_compared_numerically if {
	# "1.9" sorts after "1.31" as a string but is far older.
	paths(fx.rest({"currentKubernetesVersion": "1.9.11"})) == {"currentKubernetesVersion"}
}

test_old_node_pool_fails if {
	paths(fx.rest_pool({"orchestratorVersion": "1.30.3"})) == {"agentPoolProfiles/system/orchestratorVersion"}
}

test_absent_upgrade_channel_is_api_default_none if {
	paths(fx.rest({"autoUpgradeProfile": {"upgradeChannel": null}})) == {"autoUpgradeProfile/upgradeChannel"}
}

test_channel_none_fails if {
	paths(fx.rest({"autoUpgradeProfile": {"upgradeChannel": "none"}})) == {"autoUpgradeProfile/upgradeChannel"}
}

test_absent_node_os_channel_is_api_default_node_image if {
	paths(fx.rest({"autoUpgradeProfile": {"nodeOSUpgradeChannel": null}})) == set()
}

test_unmanaged_node_os_channel_fails if {
	paths(fx.sdk({"autoUpgradeProfile": {"nodeOSUpgradeChannel": "Unmanaged"}})) == {"autoUpgradeProfile/nodeOSUpgradeChannel"}
}

test_unreadable_version_fails_closed if {
	asset := object.union(fx.rest({"currentKubernetesVersion": null, "kubernetesVersion": null}), {"cluster": {"version": null}})
	paths(asset) == {"currentKubernetesVersion"}
}

test_minimum_comes_from_config if {
	count(aks_010.violation) == 0 with input as fx.rest({"currentKubernetesVersion": "1.29.4", "agentPoolProfiles": []})
		with data.config as {"kubernetes": {"minVersion": "1.28"}}
}
