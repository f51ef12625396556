package posture.rules.aks_015_test

import data.posture.rules.aks_015
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

monitored(value) := fx.normalized({"monitoring": value})

test_monitored_cluster_passes if {
	count(aks_015.violation) == 0 with input as monitored(true)
}

test_unmonitored_cluster_fails if {
	some v in aks_015.violation with input as monitored(false)
	v.path == "azureMonitorProfile/metrics/enabled"
}

test_unknown_is_not_judged if {
	count(aks_015.violation) == 0 with input as monitored(null)
}

test_other_distributions_are_not_judged if {
	count(aks_015.violation) == 0 with input as object.union(monitored(false), {"cluster": {"distribution": "gke"}})
}
