package posture.rules.aks_014_test

import data.posture.rules.aks_014
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in aks_014.violation with input as asset}

test_managed_identity_passes if {
	paths(fx.good) == set()
}

test_service_principal_fails if {
	paths(fx.aks({"servicePrincipalClientId": "11111111-2222-3333-4444-555555555555"})) == {"identity/type"}
}

test_absent_identity_with_a_service_principal_fails if {
	some v in aks_014.violation with input as fx.aks({"identityType": null, "servicePrincipalClientId": "11111111-2222-3333-4444-555555555555"})
	v.evidence == {"identityType": null, "servicePrincipal": true}
}

test_user_assigned_identity_passes if {
	paths(fx.aks({"identityType": "UserAssigned"})) == set()
}

test_workload_identity_is_left_to_clu_008 if {
	paths(fx.normalized({"workloadIdentity": false})) == set()
}
