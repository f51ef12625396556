package posture.rules.eks_002_test

import data.posture.rules.eks_002
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

public(cidrs) := fx.normalized({"endpoint": {"public": true, "private": true, "allowedCidrs": cidrs}})

test_private_endpoint_passes if {
	count(eks_002.violation) == 0 with input as fx.good
}

test_restricted_public_endpoint_passes if {
	count(eks_002.violation) == 0 with input as public(["203.0.113.0/24", "198.51.100.7/32"])
}

test_world_open_fails if {
	some v in eks_002.violation with input as public(["203.0.113.0/24", "0.0.0.0/0"])
	v.path == "endpoint/allowedCidrs"
	count(eks_002.violation) == 1 with input as public(["::/0"])
}

test_empty_list_means_open if {
	count(eks_002.violation) == 1 with input as public([])
}
