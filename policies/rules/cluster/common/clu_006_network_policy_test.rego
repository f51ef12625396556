package posture.rules.clu_006_test

import data.posture.rules.clu_006
import data.posture.rules.clu_fixtures_test as fx
import rego.v1

test_no_network_policy_fails_with_the_earlier_path if {
	earlier := {"eks": "addons/vpc-cni/configurationValues/enableNetworkPolicy", "aks": "networkProfile/networkPolicy", "gke": "networkPolicy/enabled"}
	every d in fx.distributions {
		some v in clu_006.violation with input as fx.cluster(d, {"networkPolicy": false})
		v.path == "networkPolicy"
		v.aliasPath == earlier[d]
	}
}

test_unknown_is_not_judged if {
	count(clu_006.violation) == 0 with input as fx.cluster("eks", {"networkPolicy": null})
}
