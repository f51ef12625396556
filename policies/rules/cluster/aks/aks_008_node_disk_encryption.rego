# METADATA
# title: AKS node disks encrypted with customer keys and at the host
# description: >-
#   Node OS and data disks should be encrypted with a disk encryption set (customer-managed key,
#   `diskEncryptionSetID`), and every agent pool should encrypt at the host
#   (`enableEncryptionAtHost`, default false) so temp disks and caches are covered too.
# custom:
#   id: AKS-008
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [cluster.aks]
#   frameworks:
#     nist-800-53-r5: ["SC-12", "SC-28", "SC-28(1)"]
#     pci-dss-4.0: ["3.5.1"]
#   unverified: [pci-dss-4.0]
#   remediation: >-
#     Create node pools with `--enable-encryption-at-host` and clusters with
#     `--node-osdisk-diskencryptionset-id <disk encryption set>`.
package posture.rules.aks_008

import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s has no disk encryption set: node disks use platform-managed keys", [input.cluster.name]),
	"path": "diskEncryptionSetID",
	"evidence": null,
} if {
	input.cluster.aks.diskEncryptionSetId == null
}

violation contains {
	"msg": sprintf("AKS agent pool %s does not encrypt at the host", [pool.name]),
	"path": sprintf("agentPoolProfiles/%s/enableEncryptionAtHost", [pool.name]),
	"evidence": pool.enableEncryptionAtHost,
} if {
	some pool in input.cluster.aks.agentPools
	pool.enableEncryptionAtHost != true
}
