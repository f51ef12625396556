# METADATA
# title: EKS API server endpoint is private only
# description: >-
#   `resourcesVpcConfig.endpointPublicAccess` must be false, so the Kubernetes API is reachable
#   only from the cluster's VPC (and networks connected to it). Public access is the API default
#   for new clusters.
# custom:
#   id: EKS-001
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [cluster.endpoint.public]
#   frameworks:
#     cis-eks-1.8: ["5.4.2"]
#     aws-fsbp: ["EKS.1"]
#     nist-800-53-r5: ["AC-21", "AC-3", "AC-3(7)", "AC-4", "AC-4(21)", "AC-6", "SC-7", "SC-7(3)", "SC-7(4)", "SC-7(9)", "SC-7(11)", "SC-7(16)", "SC-7(20)", "SC-7(21)"]
#     pci-dss-4.0: ["1.2.8", "1.3.1", "1.3.2", "1.4.2", "1.4.4"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.2"]
#   unverified: [owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable private access and disable public access
#     (`aws eks update-cluster-config --resources-vpc-config endpointPrivateAccess=true,endpointPublicAccess=false`);
#     reach the API through the VPC, a VPN or a bastion.
package posture.rules.eks_001

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("EKS cluster %s has a public API server endpoint", [input.cluster.name]),
	"path": "endpoint/public",
	"evidence": {"public": true, "private": object.get(input.cluster, ["endpoint", "private"], false)},
} if {
	aws.is_eks(input)
	object.get(input.cluster, ["endpoint", "public"], true) == true
}
