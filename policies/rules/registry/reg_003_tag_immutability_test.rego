package posture.rules.reg_003_test

import data.posture.rules.reg_003
import data.posture.rules.registry_fixtures_test as fx
import rego.v1

test_immutable_tags_pass if {
	count(reg_003.violation) == 0 with input as fx.ecr({}, {})
}

test_mutable_ecr_repository_fails if {
	input_doc := fx.ecr({"tagImmutable": false}, {"repository": object.union(fx.ecr_repository, {"imageTagMutability": "MUTABLE"})})
	some v in reg_003.violation with input as input_doc
	v.evidence.imageTagMutability == "MUTABLE"
}

test_artifact_registry_without_docker_config_fails_as_api_default if {
	input_doc := json.patch(fx.ar({"tagImmutable": false}, {}), [{"op": "remove", "path": "/raw/repository/dockerConfig"}])
	some v in reg_003.violation with input as input_doc
	v.evidence.immutableTags == false
}

test_unknown_passes if {
	count(reg_003.violation) == 0 with input as fx.ar({"tagImmutable": null}, {})
}
