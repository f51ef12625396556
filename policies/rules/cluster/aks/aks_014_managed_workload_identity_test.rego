package posture.rules.aks_014_test

import data.posture.rules.aks_014
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in aks_014.violation with input as asset}

test_managed_and_workload_identity_passes if {
	paths(fx.rest({})) == set()
}

test_service_principal_fails if {
	paths(fx.rest({"servicePrincipalProfile": {"clientId": "11111111-2222-3333-4444-555555555555"}})) == {"identity/type"}
}

test_absent_identity_with_a_service_principal_fails if {
	asset := fx.asset("arm-rest", object.union(object.remove(fx.envelope, ["identity"]), {"properties": object.union(
		fx.good_properties,
		{"servicePrincipalProfile": {"clientId": "11111111-2222-3333-4444-555555555555"}},
	)}))
	some v in aks_014.violation with input as asset
	v.evidence == {"identityType": null, "servicePrincipal": true}
}

test_absent_workload_identity_is_api_default_off if {
	paths(fx.rest({"securityProfile": {"workloadIdentity": null}})) == {"securityProfile/workloadIdentity/enabled"}
}

test_workload_identity_needs_the_oidc_issuer if {
	paths(fx.rest({"oidcIssuerProfile": {"enabled": false}})) == {"securityProfile/workloadIdentity/enabled"}
}

test_sdk_form_user_assigned_identity_passes if {
	paths(fx.sdk({"identity": {"type": "UserAssigned"}})) == set()
}
