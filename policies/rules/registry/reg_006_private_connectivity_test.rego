package posture.rules.reg_006_test

import data.posture.rules.reg_006
import data.posture.rules.registry_fixtures_test as fx
import rego.v1

test_approved_private_endpoint_passes if {
	count(reg_006.violation) == 0 with input as fx.acr({}, {})
}

test_no_private_endpoint_fails if {
	some v in reg_006.violation with input as fx.acr({}, {"privateEndpointStates": []})
	v.path == "privateEndpointConnections"
	v.evidence == {"sku": "Premium", "states": []}
}

test_pending_connection_does_not_count if {
	some v in reg_006.violation with input as fx.acr({}, {"privateEndpointStates": ["Pending", null]})
	v.evidence.states == ["Pending", null]
}

test_ecr_and_artifact_registry_are_not_judged if {
	count(reg_006.violation) == 0 with input as fx.ecr({}, {})
	count(reg_006.violation) == 0 with input as fx.ar({}, {})
}
