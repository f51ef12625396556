package posture.rules.aks_010_test

import data.posture.rules.aks_010
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in aks_010.violation with input as asset}

test_channels_pass if {
	paths(fx.good) == set()
}

test_unset_upgrade_channel_is_api_default_none if {
	paths(fx.aks({"upgradeChannel": null})) == {"autoUpgradeProfile/upgradeChannel"}
}

test_channel_none_fails if {
	paths(fx.aks({"upgradeChannel": "none"})) == {"autoUpgradeProfile/upgradeChannel"}
}

test_unset_node_os_channel_is_api_default_node_image if {
	paths(fx.aks({"nodeOSUpgradeChannel": null})) == set()
}

test_unmanaged_node_os_channel_fails if {
	paths(fx.aks({"nodeOSUpgradeChannel": "Unmanaged"})) == {"autoUpgradeProfile/nodeOSUpgradeChannel"}
}

test_versions_are_left_to_clu_005 if {
	paths(fx.normalized({"version": "1.29.4"})) == set()
}
