# METADATA
# title: GKE Binary Authorization enforced
# description: >-
#   Binary Authorization must admit only trusted images (`binaryAuthorization.evaluationMode`
#   other than DISABLED). When the mode is unset or EVALUATION_MODE_UNSPECIFIED, the deprecated
#   `enabled` flag decides; unset everywhere = disabled.
# custom:
#   id: GKE-014
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.1.4"]
#     nist-800-53-r5: ["CM-7(5)", "SI-7"]
#     owasp-docker-top10: ["D08"]
#     nist-800-190: ["4.1.5"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable Binary Authorization (`gcloud container clusters update
#     --binauthz-evaluation-mode=PROJECT_SINGLETON_POLICY_ENFORCE`) with a policy that requires
#     attestations for production images.
package posture.rules.gke_014

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s does not enforce Binary Authorization", [input.cluster.name]),
	"path": "binaryAuthorization/evaluationMode",
	"evidence": mode,
} if {
	gcp.is_gke(input)
	mode := gcp.get(gcp.cluster(input), ["binaryAuthorization", "evaluationMode"], "EVALUATION_MODE_UNSPECIFIED")
	not enforced(mode)
}

enforced(mode) if not mode in {"DISABLED", "EVALUATION_MODE_UNSPECIFIED"}

enforced("EVALUATION_MODE_UNSPECIFIED") if gcp.get(gcp.cluster(input), ["binaryAuthorization", "enabled"], false) == true
