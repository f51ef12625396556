# METADATA
# title: Encryption keys live in allowed locations
# description: >-
#   The key that protects a cluster's secrets, a node pool's boot disks or a registry's images must
#   sit in a jurisdiction the asset's data class allows: the region of an AWS KMS key ARN (EKS
#   `encryptionConfig[].provider.keyArn`, ECR `kmsKey`), the `locations/<loc>` of a Cloud KMS key
#   (GKE `databaseEncryption.keyName`, `bootDiskKmsKey`). An ECR key must also be in the
#   repository's own region. A key whose location cannot be read fails closed. Azure Key Vault
#   key URLs do not carry the vault's location and are not judged here.
# custom:
#   id: DR-008
#   severity: medium
#   kind: [cluster, registry]
#   applies:
#     provider: [aws, gcp]
#   requires: [region]
#   frameworks:
#     gdpr: ["Art. 32", "Art. 44", "Art. 46"]
#     nist-800-53-r5: ["SC-12"]
#   unverified: [gdpr, nist-800-53-r5]
#   remediation: >-
#     Re-encrypt with a key created in an allowed region (for ECR, in the repository's region), or
#     correct the classification.
package posture.rules.dr_008

import data.posture.lib.gcp
import data.posture.lib.residency
import rego.v1

violation contains {
	"msg": msg,
	"path": path,
	"evidence": {"key": key, "location": location, "jurisdiction": jurisdiction, "class": residency.effective_class(input)},
} if {
	input.provider in {"aws", "gcp"}
	some [path, key] in keys
	location := key_location(key)
	jurisdiction := residency.jurisdiction(input.provider, location)
	msg := problem(path, key, location, jurisdiction)
}

problem(path, _, location, jurisdiction) := sprintf("%s: key for %s is in %s (%s), which is not allowed for data class \"%s\"", [input.id, path, shown(location), jurisdiction, residency.effective_class(input)]) if {
	not residency.location_allowed(input, input.provider, location)
} else := sprintf("%s: ECR key is in %s, not in the repository's region %s", [input.id, location, input.region]) if {
	input.kind == "registry"
	input.registry.service == "ecr"
	location != residency.normalize(input.region)
}

shown(location) := location if location != ""

else := "an unreadable location"

key_location(key) := location if {
	input.provider == "aws"
	location := residency.arn_region(key)
} else := location if {
	input.provider == "gcp"
	location := residency.gcp_resource_location(key)
} else := ""

# [finding path, key id], from the normalized fields first and the raw response where they are silent.
keys contains ["secretsEncryption/keyId", cluster_secrets_key]

keys contains ["encryption/keyId", registry_key] if input.kind == "registry"

keys contains [sprintf("nodePools/%s/bootDiskKmsKey", [gcp.pool_name(pool)]), key] if {
	some pool in gcp.node_pools(input)
	key := gcp.get(pool, ["config", "bootDiskKmsKey"], "")
	is_string(key)
	trim_space(key) != ""
}

cluster_secrets_key := key if {
	input.kind == "cluster"
	key := input.cluster.secretsEncryption.keyId
	is_string(key)
} else := key if {
	input.kind == "cluster"
	input.provider == "aws"
	arns := [arn |
		some config in object.get(input, ["raw", "cluster", "encryptionConfig"], [])
		"secrets" in object.get(config, "resources", [])
		arn := config.provider.keyArn
	]
	key := arns[0]
} else := key if {
	input.kind == "cluster"
	input.provider == "gcp"
	key := gcp.cluster(input).databaseEncryption.keyName
	is_string(key)
	trim_space(key) != ""
}

registry_key := key if {
	key := input.registry.encryption.keyId
	is_string(key)
} else := key if {
	key := input.raw.repository.encryptionConfiguration.kmsKey
	is_string(key)
}
