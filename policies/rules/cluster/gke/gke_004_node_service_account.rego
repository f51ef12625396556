# METADATA
# title: GKE nodes run as a dedicated least-privilege service account
# description: >-
#   Node pools should not use the Compute Engine default service account (`default`, unset, or
#   `<number>-compute@developer.gserviceaccount.com`), which is broadly privileged in most projects,
#   least of all together with the `cloud-platform` scope.
# custom:
#   id: GKE-004
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.2.1"]
#     nist-800-53-r5: ["AC-6"]
#     pci-dss-4.0: ["7.2.1"]
#     disa-k8s-stig: ["V-242381"]
#     nist-800-190: ["4.3.1"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, disa-k8s-stig, nist-800-190]
#   remediation: >-
#     Create a service account with only the logging, monitoring and Artifact Registry reader roles
#     and create node pools with `--service-account <sa>`.
package posture.rules.gke_004

import data.posture.lib.gcp
import rego.v1

cloud_platform := "https://www.googleapis.com/auth/cloud-platform"

violation contains {
	"msg": sprintf("GKE node pool %s runs as the Compute Engine default service account%s", [name, scope_note(scopes)]),
	"path": sprintf("nodePools/%s/config/serviceAccount", [name]),
	"evidence": {"serviceAccount": account, "oauthScopes": scopes},
} if {
	gcp.is_gke(input)
	some pool in gcp.node_pools(input)
	account := gcp.get(pool, ["config", "serviceAccount"], "default")
	gcp.default_service_account(account)
	scopes := gcp.get(pool, ["config", "oauthScopes"], [])
	name := gcp.pool_name(pool)
}

scope_note(scopes) := " with the cloud-platform scope (full API access)" if cloud_platform in scopes

else := ""
