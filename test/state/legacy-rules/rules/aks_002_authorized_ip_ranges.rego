# METADATA
# title: AKS public API server limited to authorized IP ranges
# description: >-
#   A cluster whose API server is public must restrict it with
#   `apiServerAccessProfile.authorizedIPRanges`. An empty (or absent) list admits every address,
#   and so does any /0 range.
# custom:
#   id: AKS-002
#   severity: critical
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [raw.resource]
#   frameworks:
#     cis-aks-1.8: ["5.4.1"]
#     nist-800-53-r5: ["AC-4", "SC-7", "SC-7(3)"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.2"]
#   unverified: [owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Set authorized IP ranges to the administrative networks that need the API server
#     (`az aks update --api-server-authorized-ip-ranges <cidrs>`), or make the cluster private.
package posture.rules.aks_002

import data.posture.lib.azure
import rego.v1

violation contains {
	"msg": msg,
	"path": "apiServerAccessProfile/authorizedIPRanges",
	"evidence": ranges,
} if {
	azure.is_aks(input)
	azure.prop_or(input, ["apiServerAccessProfile", "enablePrivateCluster"], false) != true
	ranges := azure.prop_or(input, ["apiServerAccessProfile", "authorizedIPRanges"], [])
	msg := problem(ranges)
}

problem(ranges) := sprintf("AKS cluster %s has a public API server with no authorized IP ranges: any address can reach it", [input.cluster.name]) if {
	count(ranges) == 0
} else := sprintf("AKS cluster %s authorizes every address on its public API server (%s)", [input.cluster.name, concat(", ", open)]) if {
	open := [cidr | some cidr in ranges; is_string(cidr); endswith(trim_space(cidr), "/0")]
	count(open) > 0
}
