# METADATA
# title: Kubernetes secrets are envelope-encrypted with a customer-managed key
# description: >-
#   Secrets in etcd should be encrypted with a key the customer controls in the cloud's KMS. Judges the
#   normalized `cluster.secretsEncryption.enabled`: EKS `encryptionConfig` with `secrets` and a KMS key,
#   AKS `securityProfile.azureKeyVaultKms.enabled`, GKE `databaseEncryption.state` ENCRYPTED.
# custom:
#   id: CLU-003
#   severity: high
#   kind: [cluster]
#   applies:
#     distribution: [eks, aks, gke]
#   requires: [cluster.secretsEncryption.enabled]
#   aliases:
#     - {id: EKS-003, distribution: [eks]}
#     - {id: AKS-007, distribution: [aks]}
#     - {id: GKE-006, distribution: [gke]}
#   frameworks:
#     cis-eks-1.8: ["5.3.1"]
#     cis-aks-1.8: ["5.3.1"]
#     cis-gke-1.9: ["5.3.1"]
#     aws-fsbp: ["EKS.3"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     pci-dss-4.0: ["3.5.1", "8.3.2"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.3.2"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     EKS: `aws eks associate-encryption-config --cluster-name <name> --encryption-config
#     '[{"resources":["secrets"],"provider":{"keyArn":"<kms key>"}}]'`. AKS: `az aks update
#     --enable-azure-keyvault-kms --azure-keyvault-kms-key-id <key>`. GKE: `gcloud container clusters update
#     --database-encryption-key <key>`.
package posture.rules.clu_003

import data.posture.lib.k8s
import rego.v1

violation contains {
	"msg": sprintf("%s cluster %s does not encrypt Kubernetes secrets with a customer-managed key", [k8s.label, input.cluster.name]),
	"path": "secretsEncryption/enabled",
	"evidence": input.cluster.secretsEncryption,
	"aliasPath": k8s.earlier_path({
		"eks": "secretsEncryption",
		"aks": "securityProfile/azureKeyVaultKms/enabled",
		"gke": "databaseEncryption/state",
	}),
} if {
	k8s.is_cluster(input)
	input.cluster.secretsEncryption.enabled == false
}
