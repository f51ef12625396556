# METADATA
# title: AKS secrets encrypted with a Key Vault KMS key
# description: >-
#   Kubernetes secrets in etcd should be envelope-encrypted with a customer key in Azure Key Vault
#   (`securityProfile.azureKeyVaultKms.enabled`, off unless set).
# custom:
#   id: AKS-007
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [raw.resource]
#   frameworks:
#     cis-aks-1.8: ["5.3.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     pci-dss-4.0: ["3.5.1"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.3.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable KMS etcd encryption with a Key Vault key
#     (`az aks update --enable-azure-keyvault-kms --azure-keyvault-kms-key-id <key>`).
package posture.rules.aks_007

import data.posture.lib.azure
import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s does not encrypt secrets with a Key Vault KMS key", [input.cluster.name]),
	"path": "securityProfile/azureKeyVaultKms/enabled",
	"evidence": azure.prop_or(input, ["securityProfile", "azureKeyVaultKms", "enabled"], null),
} if {
	azure.is_aks(input)
	azure.prop_or(input, ["securityProfile", "azureKeyVaultKms", "enabled"], false) != true
}
