package posture.rules.eks_008_test

import data.posture.rules.eks_008
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

pool(public_ip) := fx.normalized({"nodePools": [object.union(fx.good_pool, {"publicIp": public_ip})]})

test_private_nodes_pass if {
	count(eks_008.violation) == 0 with input as fx.good
}

test_public_nodes_fail if {
	some v in eks_008.violation with input as pool(true)
	v.path == "nodePools/general/publicIp"
}

test_unresolved_subnets_not_judged if {
	count(eks_008.violation) == 0 with input as pool(null)
}
