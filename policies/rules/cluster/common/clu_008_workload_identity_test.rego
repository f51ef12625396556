package posture.rules.clu_008_test

import data.posture.rules.clu_008
import data.posture.rules.clu_fixtures_test as fx
import rego.v1

test_no_workload_identity_fails_with_the_earlier_path if {
	earlier := {"eks": "identity", "aks": "securityProfile/workloadIdentity/enabled", "gke": "workloadIdentityConfig/workloadPool"}
	every d in fx.distributions {
		some v in clu_008.violation with input as fx.cluster(d, {"workloadIdentity": false})
		v.path == "workloadIdentity"
		v.aliasPath == earlier[d]
	}
}

test_unknown_is_not_judged if {
	count(clu_008.violation) == 0 with input as fx.cluster("eks", {"workloadIdentity": null})
}
