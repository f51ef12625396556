# METADATA
# title: GKE legacy ABAC disabled
# description: >-
#   Legacy attribute-based access control grants broad, static permissions and bypasses RBAC; it
#   must stay off (`legacyAbac.enabled`, default false).
# custom:
#   id: GKE-010
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.8.3"]
#     nist-800-53-r5: ["AC-3"]
#     pci-dss-4.0: ["7.2.1"]
#     disa-k8s-stig: ["V-242382"]
#     nist-800-190: ["4.3.1"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, nist-800-190]
#   remediation: >-
#     Disable legacy authorization (`gcloud container clusters update --no-enable-legacy-authorization`)
#     after moving any ABAC-dependent access to RBAC.
package posture.rules.gke_010

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s has legacy ABAC enabled", [input.cluster.name]),
	"path": "legacyAbac/enabled",
	"evidence": true,
} if {
	gcp.is_gke(input)
	gcp.get(gcp.cluster(input), ["legacyAbac", "enabled"], false) == true
}
