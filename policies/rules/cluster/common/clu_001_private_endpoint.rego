# METADATA
# title: Kubernetes API server has no public endpoint
# description: >-
#   The control plane of an EKS, AKS or GKE cluster should be reachable only from private networks.
#   Judges the normalized `cluster.endpoint.public`, which each cloud's normalizer decides: EKS
#   `resourcesVpcConfig.endpointPublicAccess` (on unless set); AKS
#   `apiServerAccessProfile.enablePrivateCluster` (off unless set); GKE
#   `controlPlaneEndpointsConfig.ipEndpointsConfig` (no IP endpoint, or its public endpoint off) or, where
#   that says nothing, the deprecated `privateClusterConfig.enablePrivateEndpoint`.
# custom:
#   id: CLU-001
#   severity: high
#   kind: [cluster]
#   applies:
#     distribution: [eks, aks, gke]
#   requires: [cluster.endpoint.public]
#   aliases:
#     - {id: EKS-001, distribution: [eks]}
#     - {id: AKS-001, distribution: [aks]}
#     - {id: GKE-002, distribution: [gke]}
#   frameworks:
#     cis-eks-1.8: ["5.4.2"]
#     cis-aks-1.8: ["5.4.2"]
#     cis-gke-1.9: ["5.6.4"]
#     aws-fsbp: ["EKS.1"]
#     nist-800-53-r5: ["AC-21", "AC-3", "AC-3(7)", "AC-4", "AC-4(21)", "AC-6", "SC-7", "SC-7(3)", "SC-7(4)", "SC-7(9)", "SC-7(11)", "SC-7(16)", "SC-7(20)", "SC-7(21)"]
#     pci-dss-4.0: ["1.2.8", "1.3.1", "1.3.2", "1.4.2", "1.4.4"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.2"]
#   unverified: [owasp-docker-top10, nist-800-190]
#   remediation: >-
#     EKS: `aws eks update-cluster-config --resources-vpc-config endpointPrivateAccess=true,endpointPublicAccess=false`.
#     AKS: create the cluster private (`az aks create --enable-private-cluster`) or use API Server VNet
#     Integration with a private API server. GKE: `gcloud container clusters update --no-enable-ip-access`
#     (DNS endpoint only) or `--enable-private-endpoint`. Reach the API through the VPC, a VPN or a bastion.
package posture.rules.clu_001

import data.posture.lib.k8s
import rego.v1

violation contains {
	"msg": sprintf("%s cluster %s has a public API server endpoint", [k8s.label, input.cluster.name]),
	"path": "endpoint/public",
	"evidence": {"public": true, "private": input.cluster.endpoint.private},
	"aliasPath": k8s.earlier_path({
		"aks": "apiServerAccessProfile/enablePrivateCluster",
		"gke": "controlPlaneEndpointsConfig/ipEndpointsConfig/enablePublicEndpoint",
	}),
} if {
	k8s.is_cluster(input)
	input.cluster.endpoint.public == true
}
