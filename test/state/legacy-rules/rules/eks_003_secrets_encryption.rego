# METADATA
# title: EKS secrets are envelope-encrypted with KMS
# description: >-
#   The cluster's `encryptionConfig` must include the `secrets` resource with a KMS key
#   (`provider.keyArn`), so Kubernetes Secrets in etcd are encrypted with a key the account
#   controls. Absent means no envelope encryption (the API default).
# custom:
#   id: EKS-003
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [cluster.secretsEncryption.enabled, raw.cluster]
#   frameworks:
#     cis-eks-1.8: ["5.3.1"]
#     aws-fsbp: ["EKS.3"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     pci-dss-4.0: ["3.5.1", "8.3.2"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.3.2"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Associate a KMS key with the cluster for secrets
#     (`aws eks associate-encryption-config --encryption-config resources=secrets,provider={keyArn=…}`).
package posture.rules.eks_003

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("EKS cluster %s does not envelope-encrypt Kubernetes secrets", [input.cluster.name]),
	"path": "secretsEncryption",
	"evidence": object.get(aws.eks_cluster(input), "encryptionConfig", null),
} if {
	aws.is_eks(input)
	not object.get(input.cluster, ["secretsEncryption", "enabled"], false) == true
	not raw_secrets_encrypted
}

raw_secrets_encrypted if {
	some entry in object.get(aws.eks_cluster(input), "encryptionConfig", [])
	"secrets" in object.get(entry, "resources", [])
	object.get(entry, ["provider", "keyArn"], "") != ""
}
