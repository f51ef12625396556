package posture.rules.dr_008_test

import data.posture.rules.dr_008
import rego.v1

config := {"residency": {
	"tagKeys": ["data-classification"],
	"defaultClass": "restricted",
	"allowed": {"public": ["*"], "personal": ["EEA", "ADEQUATE"], "restricted": ["EU"]},
}}

eks(key_arn) := {
	"id": "aws://111111111111/eu-west-1/eks/cluster/prod",
	"kind": "cluster",
	"provider": "aws",
	"region": "eu-west-1",
	"tags": {},
	"cluster": {"secretsEncryption": {"enabled": true, "keyId": null}},
	"raw": {"cluster": {"encryptionConfig": [{"resources": ["secrets"], "provider": {"keyArn": key_arn}}]}},
}

gke(key_name, boot_key) := {
	"id": "gcp://shop/europe-west1/gke/shop",
	"kind": "cluster",
	"provider": "gcp",
	"region": "europe-west1",
	"tags": {},
	"cluster": {"secretsEncryption": {"enabled": true, "keyId": key_name}},
	"raw": {"cluster": {
		"databaseEncryption": {"state": "ENCRYPTED", "keyName": key_name},
		"nodePools": [{"name": "pool-a", "config": {"bootDiskKmsKey": boot_key}}],
	}},
}

ecr(kms_key) := {
	"id": "aws://111111111111/eu-west-1/ecr/repository/web",
	"kind": "registry",
	"provider": "aws",
	"region": "eu-west-1",
	"tags": {"data-classification": "personal"},
	"registry": {"service": "ecr", "encryption": {"type": "KMS", "keyId": kms_key}},
	"raw": {},
}

paths(asset) := {v.path | some v in dr_008.violation with input as asset with data.config as config}

eu_key := "projects/shop/locations/europe-west1/keyRings/gke/cryptoKeys/etcd"

test_eks_key_in_eu_passes if {
	paths(eks("arn:aws:kms:eu-west-1:111111111111:key/0b1c")) == set()
}

test_eks_key_in_us_fails if {
	some v in dr_008.violation with input as eks("arn:aws:kms:us-east-1:111111111111:key/0b1c") with data.config as config
	v.path == "secretsEncryption/keyId"
	v.evidence.location == "us-east-1"
}

test_unreadable_key_location_fails_closed if {
	some v in dr_008.violation with input as eks("alias/etcd") with data.config as config
	v.evidence.jurisdiction == "UNKNOWN"
}

test_gke_keys_in_eu_pass if {
	paths(gke(eu_key, "projects/shop/locations/europe-west4/keyRings/gke/cryptoKeys/boot")) == set()
}

test_gke_global_boot_key_fails if {
	paths(gke(eu_key, "projects/shop/locations/global/keyRings/gke/cryptoKeys/boot")) == {"nodePools/pool-a/bootDiskKmsKey"}
}

test_ecr_key_in_other_allowed_region_still_fails if {
	some v in dr_008.violation with input as ecr("arn:aws:kms:eu-central-1:111111111111:key/9f") with data.config as config
	contains(v.msg, "not in the repository's region")
}

test_ecr_key_in_own_region_passes if {
	paths(ecr("arn:aws:kms:eu-west-1:111111111111:key/9f")) == set()
}

test_no_key_nothing_to_judge if {
	paths(object.union(ecr(null), {"registry": {"encryption": {"type": "AES256"}}})) == set()
}

test_azure_key_vault_urls_are_not_judged if {
	aks := {
		"id": "azure://s/westeurope/aks/rg/a",
		"kind": "cluster",
		"provider": "azure",
		"region": "westeurope",
		"tags": {},
		"cluster": {"secretsEncryption": {"enabled": true, "keyId": "https://kv.vault.azure.net/keys/etcd/1"}},
		"raw": {},
	}
	paths(aks) == set()
}
