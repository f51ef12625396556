# METADATA
# title: EKS public endpoint restricted to known CIDRs
# description: >-
#   When the API server endpoint is public, `resourcesVpcConfig.publicAccessCidrs` must not admit
#   every address: an empty list or any /0 range (0.0.0.0/0, the API default, or ::/0) fails.
# custom:
#   id: EKS-002
#   severity: critical
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [cluster.endpoint.public, cluster.endpoint.allowedCidrs]
#   frameworks:
#     cis-eks-1.8: ["5.4.1"]
#     nist-800-53-r5: ["SC-7"]
#     pci-dss-4.0: ["1.3.1"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Limit `publicAccessCidrs` to the administrative networks that need the API, or make the
#     endpoint private.
package posture.rules.eks_002

import data.posture.lib.aws
import data.posture.lib.k8s
import rego.v1

violation contains {
	"msg": sprintf("EKS cluster %s lets any address reach its public API server", [input.cluster.name]),
	"path": "endpoint/allowedCidrs",
	"evidence": cidrs,
} if {
	aws.is_eks(input)
	object.get(input.cluster, ["endpoint", "public"], true) == true
	cidrs := object.get(input.cluster, ["endpoint", "allowedCidrs"], [])
	k8s.open_to_world(cidrs)
}
