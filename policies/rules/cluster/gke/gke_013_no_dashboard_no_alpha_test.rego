package posture.rules.gke_013_test

import data.posture.rules.gke_013
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_013.violation with input as asset}

test_dashboard_disabled_passes if {
	paths(fx.gke({})) == set()
}

test_dashboard_block_without_disabled_runs if {
	paths(fx.gke({"addonsConfig": {"kubernetesDashboard": {"disabled": null}}})) == {"addonsConfig/kubernetesDashboard/disabled"}
}

test_absent_dashboard_block_is_not_installed if {
	paths(fx.without(["addonsConfig"])) == set()
}

test_alpha_cluster_fails if {
	paths(fx.gke({"enableKubernetesAlpha": true})) == {"enableKubernetesAlpha"}
}
