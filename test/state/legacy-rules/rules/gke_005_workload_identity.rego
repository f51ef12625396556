# METADATA
# title: GKE Workload Identity on and the node metadata server protected
# description: >-
#   Pods should reach Google APIs through Workload Identity (`workloadIdentityConfig.workloadPool`
#   set), node pools should run the GKE metadata server (`workloadMetadataConfig.mode:
#   GKE_METADATA`) so pods cannot read node credentials, and legacy metadata endpoints must not be
#   re-enabled (`metadata["disable-legacy-endpoints"]`; GKE disables them when unset).
# custom:
#   id: GKE-005
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.2.2", "5.4.1"]
#     nist-800-53-r5: ["AC-6"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.3.1"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable Workload Identity (`gcloud container clusters update --workload-pool=<project>.svc.id.goog`)
#     and switch node pools to it (`gcloud container node-pools update --workload-metadata=GKE_METADATA`).
package posture.rules.gke_005

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s does not enable Workload Identity", [input.cluster.name]),
	"path": "workloadIdentityConfig/workloadPool",
	"evidence": pool_name_value,
} if {
	gcp.is_gke(input)
	pool_name_value := gcp.get(gcp.cluster(input), ["workloadIdentityConfig", "workloadPool"], "")
	trim_space(pool_name_value) == ""
}

violation contains {
	"msg": sprintf("GKE node pool %s exposes the node's metadata server to pods (mode %s)", [name, mode]),
	"path": sprintf("nodePools/%s/config/workloadMetadataConfig/mode", [name]),
	"evidence": mode,
} if {
	gcp.is_gke(input)
	some pool in gcp.node_pools(input)
	mode := gcp.get(pool, ["config", "workloadMetadataConfig", "mode"], "MODE_UNSPECIFIED")
	mode != "GKE_METADATA"
	name := gcp.pool_name(pool)
}

violation contains {
	"msg": sprintf("GKE node pool %s re-enables the legacy metadata endpoints", [name]),
	"path": sprintf("nodePools/%s/config/metadata/disable-legacy-endpoints", [name]),
	"evidence": value,
} if {
	gcp.is_gke(input)
	some pool in gcp.node_pools(input)
	value := pool.config.metadata["disable-legacy-endpoints"]
	lower(sprintf("%s", [value])) != "true"
	name := gcp.pool_name(pool)
}
