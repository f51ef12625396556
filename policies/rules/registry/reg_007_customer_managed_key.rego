# METADATA
# title: Registry encrypted with a customer-managed key where the data class requires it
# description: >-
#   A class whose data the residency configuration confines to named jurisdictions (every class
#   without "*" in residency.allowed, including the default class for untagged registries) is
#   treated as regulated and needs a customer-managed key. Fails when such a registry reports
#   an encryption type but no customer key (ECR AES256, or KMS with the AWS-managed aws/ecr key;
#   ACR without a Key Vault key; Artifact Registry without kmsKeyName). Unknown passes.
# custom:
#   id: REG-007
#   severity: medium
#   kind: [registry]
#   applies:
#     service: [ecr, acr, artifact-registry]
#   requires: [registry.encryption.type]
#   frameworks:
#     aws-fsbp: ["ECR.5"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     pci-dss-4.0: ["3.5.1"]
#   unverified: ["aws-fsbp", "nist-800-53-r5", "pci-dss-4.0"]
#   remediation: >-
#     Create the registry with a customer-managed key (ECR encryptionConfiguration KMS with your
#     key — a new repository is required; ACR encryption with a Key Vault key; Artifact Registry
#     kmsKeyName), and migrate images to it.
package posture.rules.reg_007

import data.posture.lib.registry
import data.posture.lib.residency
import rego.v1

encryption := input.registry.encryption

aws_managed(key) if endswith(lower(key), "alias/aws/ecr")

customer_key if {
	is_string(encryption.keyId)
	encryption.keyId != ""
	not aws_managed(encryption.keyId)
}

violation contains {
	"msg": sprintf("%s registry %s holds %s data but is not encrypted with a customer-managed key", [registry.service, input.registry.name, class]),
	"path": "encryption",
	"evidence": {"type": encryption.type, "keyId": encryption.keyId, "class": class},
} if {
	registry.is_registry
	is_string(encryption.type)
	not customer_key
	not residency.unrestricted(input)
	class := residency.effective_class(input)
}
