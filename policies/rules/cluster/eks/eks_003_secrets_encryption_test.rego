package posture.rules.eks_003_test

import data.posture.rules.eks_003
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

unencrypted := fx.asset({"secretsEncryption": {"enabled": false, "keyId": null}}, object.union(object.remove(fx.good_raw, ["cluster"]), {"cluster": object.remove(fx.good_raw_cluster, ["encryptionConfig"])}))

test_kms_encryption_passes if {
	count(eks_003.violation) == 0 with input as fx.good
}

test_no_encryption_fails if {
	some v in eks_003.violation with input as unencrypted
	v.path == "secretsEncryption"
	v.evidence == null
}

test_encryption_config_without_secrets_fails if {
	count(eks_003.violation) == 1 with input as fx.asset(
		{"secretsEncryption": {"enabled": false, "keyId": null}},
		object.union(fx.good_raw, {"cluster": object.union(fx.good_raw_cluster, {"encryptionConfig": [{"resources": [], "provider": {"keyArn": "arn:aws:kms:eu-west-1:1:key/x"}}]})}),
	)
}

test_absent_normalized_and_raw_is_unencrypted if {
	count(eks_003.violation) == 1 with input as fx.asset({}, {}) with input.cluster as object.remove(fx.good_cluster, ["secretsEncryption"])
}
