package posture.rules.clu_007_test

import data.posture.rules.clu_007
import data.posture.rules.clu_fixtures_test as fx
import rego.v1

public_pool := object.union(fx.pool("edge", "1.32"), {"publicIp": true})

test_public_node_pool_fails_with_the_earlier_path if {
	earlier := {"eks": null, "aks": "agentPoolProfiles/edge/enableNodePublicIP", "gke": "nodePools/edge/networkConfig/enablePrivateNodes"}
	every d in fx.distributions {
		some v in clu_007.violation with input as fx.cluster(d, {"nodePools": [fx.pool("general", "1.32"), public_pool]})
		v.path == "nodePools/edge/publicIp"
		v.aliasPath == earlier[d]
	}
}

test_unknown_node_ips_and_uncollected_pools_are_not_judged if {
	count(clu_007.violation) == 0 with input as fx.cluster("eks", {"nodePools": [object.union(fx.pool("a", "1.32"), {"publicIp": null})]})
	count(clu_007.violation) == 0 with input as fx.cluster("eks", {"nodePools": null})
}
