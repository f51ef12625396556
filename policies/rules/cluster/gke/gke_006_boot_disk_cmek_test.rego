package posture.rules.gke_006_test

import data.posture.rules.gke_006
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

residency := {"residency": {
	"tagKeys": ["data-classification"],
	"defaultClass": "restricted",
	"allowed": {"public": ["*"], "restricted": ["EU"]},
}}

paths(asset) := {v.path | some v in gke_006.violation with input as asset with data.config as residency}

no_boot_key := fx.gke_pool({"config": {"bootDiskKmsKey": null}})

test_boot_key_passes if {
	paths(fx.gke({})) == set()
}

test_secrets_encryption_is_left_to_clu_003 if {
	paths(fx.without(["databaseEncryption"])) == set()
}

test_untagged_cluster_without_boot_key_fails_as_default_class if {
	paths(no_boot_key) == {"nodePools/default-pool/config/bootDiskKmsKey"}
}

test_public_cluster_needs_no_boot_key if {
	public := object.union(no_boot_key, {"tags": {"data-classification": "public"}})
	paths(public) == set()
}
