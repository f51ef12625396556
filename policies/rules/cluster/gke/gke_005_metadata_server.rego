# METADATA
# title: GKE node metadata server protected from pods
# description: >-
#   Node pools should run the GKE metadata server (`workloadMetadataConfig.mode: GKE_METADATA`) so pods
#   cannot read the node's credentials, and legacy metadata endpoints must not be re-enabled
#   (`metadata["disable-legacy-endpoints"]`; GKE disables them when unset). Whether Workload Identity is
#   on at all is judged for every cloud by CLU-008.
# custom:
#   id: GKE-005
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.4.1"]
#     nist-800-53-r5: ["AC-6"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.3.1"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Switch node pools to the GKE metadata server (`gcloud container node-pools update
#     --workload-metadata=GKE_METADATA`) and leave the legacy endpoints disabled.
package posture.rules.gke_005

import data.posture.lib.gcp
import rego.v1

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
