package posture.rules.reg_007_test

import data.posture.rules.reg_007
import data.posture.rules.registry_fixtures_test as fx
import rego.v1

aes := {"encryption": {"type": "AES256", "keyId": null}}

test_customer_key_passes if {
	count(reg_007.violation) == 0 with input as fx.ecr({}, {}) with data.config as fx.config
}

test_default_encryption_on_restricted_data_fails if {
	some v in reg_007.violation with input as fx.ecr(aes, {}) with data.config as fx.config
	v.evidence.class == "restricted"
	v.evidence.type == "AES256"
}

test_aws_managed_key_is_not_a_customer_key if {
	managed := {"encryption": {"type": "KMS", "keyId": "arn:aws:kms:eu-west-1:111122223333:alias/aws/ecr"}}
	count(reg_007.violation) == 1 with input as fx.ecr(managed, {}) with data.config as fx.config
}

test_untagged_registry_gets_the_default_class if {
	some v in reg_007.violation with input as json.patch(fx.ar({"encryption": {"type": "GOOGLE_MANAGED", "keyId": null}}, {}), [{"op": "replace", "path": "/tags", "value": {}}])
		with data.config as fx.config
	v.evidence.class == "restricted"
}

test_public_data_needs_no_customer_key if {
	input_doc := json.patch(fx.ecr(aes, {}), [{"op": "replace", "path": "/tags", "value": {"data-classification": "public"}}])
	count(reg_007.violation) == 0 with input as input_doc with data.config as fx.config
}

test_unknown_encryption_passes if {
	count(reg_007.violation) == 0 with input as fx.ecr({"encryption": {"type": null, "keyId": null}}, {}) with data.config as fx.config
}
