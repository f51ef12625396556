package posture.rules.eks_011_test

import data.posture.rules.eks_011
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

test_protected_cluster_passes if {
	count(eks_011.violation) == 0 with input as fx.normalized({"deletionProtection": true})
}

test_unprotected_cluster_fails if {
	some v in eks_011.violation with input as fx.normalized({"deletionProtection": false})
	v.path == "deletionProtection"
}

test_setting_not_returned_is_not_judged if {
	count(eks_011.violation) == 0 with input as fx.normalized({"deletionProtection": null})
	count(eks_011.violation) == 0 with input as fx.good
}

test_other_distributions_are_not_judged if {
	count(eks_011.violation) == 0 with input as fx.normalized({"distribution": "gke", "deletionProtection": false})
}
