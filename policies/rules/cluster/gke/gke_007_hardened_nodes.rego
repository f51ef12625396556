# METADATA
# title: GKE nodes are shielded and run Container-Optimized OS
# description: >-
#   Shielded GKE nodes must be on (`shieldedNodes.enabled`), every node pool must use Secure Boot
#   and integrity monitoring (`shieldedInstanceConfig`; unset = false), and run the
#   Container-Optimized OS with containerd image (`imageType` COS_CONTAINERD, the default).
# custom:
#   id: GKE-007
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.5.1", "5.5.5", "5.5.6", "5.5.7"]
#     nist-800-53-r5: ["SI-7", "CM-7"]
#     nist-800-190: ["4.3.5"]
#   unverified: [nist-800-53-r5, nist-800-190]
#   remediation: >-
#     Enable shielded nodes (`gcloud container clusters update --enable-shielded-nodes`) and create
#     node pools with `--image-type=COS_CONTAINERD --shielded-secure-boot
#     --shielded-integrity-monitoring`.
package posture.rules.gke_007

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s does not require shielded nodes", [input.cluster.name]),
	"path": "shieldedNodes/enabled",
	"evidence": gcp.get(gcp.cluster(input), ["shieldedNodes", "enabled"], null),
} if {
	gcp.is_gke(input)
	gcp.get(gcp.cluster(input), ["shieldedNodes", "enabled"], false) != true
}

violation contains {
	"msg": sprintf("GKE node pool %s has %s off", [name, setting]),
	"path": sprintf("nodePools/%s/config/shieldedInstanceConfig/%s", [name, setting]),
	"evidence": gcp.get(pool, ["config", "shieldedInstanceConfig", setting], null),
} if {
	gcp.is_gke(input)
	some pool in gcp.node_pools(input)
	some setting in ["enableSecureBoot", "enableIntegrityMonitoring"]
	gcp.get(pool, ["config", "shieldedInstanceConfig", setting], false) != true
	name := gcp.pool_name(pool)
}

violation contains {
	"msg": sprintf("GKE node pool %s runs %s instead of Container-Optimized OS with containerd", [name, image]),
	"path": sprintf("nodePools/%s/config/imageType", [name]),
	"evidence": image,
} if {
	gcp.is_gke(input)
	some pool in gcp.node_pools(input)
	image := gcp.get(pool, ["config", "imageType"], "COS_CONTAINERD")
	upper(image) != "COS_CONTAINERD"
	name := gcp.pool_name(pool)
}
