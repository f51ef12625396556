package posture.rules.reg_006_test

import data.posture.rules.reg_006
import data.posture.rules.registry_fixtures_test as fx
import rego.v1

pending := [{"id": "pe2", "properties": {"privateLinkServiceConnectionState": {"status": "Pending"}}}]

test_approved_private_endpoint_passes_in_both_forms if {
	count(reg_006.violation) == 0 with input as fx.acr_rest(fx.acr_properties)
	count(reg_006.violation) == 0 with input as fx.acr_sdk(fx.acr_properties)
}

test_no_private_endpoint_fails if {
	some v in reg_006.violation with input as fx.acr_rest(object.remove(fx.acr_properties, ["privateEndpointConnections"]))
	v.path == "privateEndpointConnections"
	v.evidence.states == []
}

test_pending_connection_does_not_count if {
	props := object.union(fx.acr_properties, {"privateEndpointConnections": pending})
	some v in reg_006.violation with input as fx.acr_sdk(props)
	v.evidence.states == ["Pending"]
}

test_ecr_and_artifact_registry_are_not_judged if {
	count(reg_006.violation) == 0 with input as fx.ecr({}, {})
	count(reg_006.violation) == 0 with input as fx.ar({}, {})
}
