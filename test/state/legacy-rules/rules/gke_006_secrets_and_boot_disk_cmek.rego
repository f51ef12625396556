# METADATA
# title: GKE secrets and node boot disks encrypted with customer keys
# description: >-
#   Application-layer secrets encryption must be on (`databaseEncryption.state: ENCRYPTED`; absent
#   = DECRYPTED). For clusters whose data classification is restricted to some jurisdictions
#   (untagged clusters get the default class), node boot disks must use a Cloud KMS key
#   (`nodePools[].config.bootDiskKmsKey`).
# custom:
#   id: GKE-006
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.3.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     pci-dss-4.0: ["3.5.1"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.3.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable secrets encryption (`gcloud container clusters update --database-encryption-key <key>`)
#     and create node pools with `--boot-disk-kms-key <key>`.
package posture.rules.gke_006

import data.posture.lib.gcp
import data.posture.lib.residency
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s does not encrypt secrets with a Cloud KMS key (state %s)", [input.cluster.name, state]),
	"path": "databaseEncryption/state",
	"evidence": state,
} if {
	gcp.is_gke(input)
	state := gcp.get(gcp.cluster(input), ["databaseEncryption", "state"], "DECRYPTED")
	state != "ENCRYPTED"
}

violation contains {
	"msg": sprintf("GKE node pool %s boot disks use Google-managed keys although the cluster holds %s data", [name, residency.effective_class(input)]),
	"path": sprintf("nodePools/%s/config/bootDiskKmsKey", [name]),
	"evidence": null,
} if {
	gcp.is_gke(input)
	not residency.unrestricted(input)
	some pool in gcp.node_pools(input)
	trim_space(gcp.get(pool, ["config", "bootDiskKmsKey"], "")) == ""
	name := gcp.pool_name(pool)
}
