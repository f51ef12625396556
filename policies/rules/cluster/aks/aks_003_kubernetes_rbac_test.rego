package posture.rules.aks_003_test

import data.posture.rules.aks_003
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

test_rbac_on_passes if {
	count(aks_003.violation) == 0 with input as fx.good
}

test_rbac_off_fails if {
	some v in aks_003.violation with input as fx.normalized({"rbac": false})
	v.path == "enableRBAC"
	v.evidence == false
}

test_other_distributions_are_not_judged if {
	count(aks_003.violation) == 0 with input as fx.normalized({"rbac": false, "distribution": "gke"})
}
