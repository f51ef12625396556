package posture.rules.eks_001_test

import data.posture.rules.eks_001
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

test_private_endpoint_passes if {
	count(eks_001.violation) == 0 with input as fx.good
}

test_public_endpoint_fails_even_with_cidrs if {
	some v in eks_001.violation with input as fx.normalized({"endpoint": {"public": true, "private": true, "allowedCidrs": ["203.0.113.0/24"]}})
	v.path == "endpoint/public"
}

test_absent_endpoint_is_api_default_public if {
	count(eks_001.violation) == 1 with input as fx.asset({}, fx.good_raw) with input.cluster as object.remove(fx.good_cluster, ["endpoint"])
}

test_other_distributions_not_judged if {
	count(eks_001.violation) == 0 with input as fx.normalized({"distribution": "gke", "endpoint": {"public": true, "private": false, "allowedCidrs": []}})
}
