package posture.rules.clu_001_test

import data.posture.rules.clu_001
import data.posture.rules.clu_fixtures_test as fx
import rego.v1

public := {"endpoint": {"public": true, "private": false, "allowedCidrs": ["203.0.113.0/24"]}}

test_public_endpoint_fails_on_every_distribution_with_the_earlier_path if {
	earlier := {
		"eks": null,
		"aks": "apiServerAccessProfile/enablePrivateCluster",
		"gke": "controlPlaneEndpointsConfig/ipEndpointsConfig/enablePublicEndpoint",
	}
	every d in fx.distributions {
		some v in clu_001.violation with input as fx.cluster(d, public)
		v.path == "endpoint/public"
		v.aliasPath == earlier[d]
		v.evidence == {"public": true, "private": false}
	}
}

test_private_endpoint_passes if {
	count(clu_001.violation) == 0 with input as fx.cluster("aks", {})
}
