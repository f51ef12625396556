package posture.rules.clu_003_test

import data.posture.rules.clu_003
import data.posture.rules.clu_fixtures_test as fx
import rego.v1

test_unencrypted_secrets_fail_with_the_earlier_path if {
	earlier := {"eks": "secretsEncryption", "aks": "securityProfile/azureKeyVaultKms/enabled", "gke": "databaseEncryption/state"}
	every d in fx.distributions {
		some v in clu_003.violation with input as fx.cluster(d, {"secretsEncryption": {"enabled": false, "keyId": null}})
		v.path == "secretsEncryption/enabled"
		v.aliasPath == earlier[d]
	}
}

test_encrypted_secrets_pass if {
	count(clu_003.violation) == 0 with input as fx.cluster("gke", {})
}
