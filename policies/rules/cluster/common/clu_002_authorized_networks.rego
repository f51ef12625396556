# METADATA
# title: Kubernetes API server admits only authorized networks
# description: >-
#   A public control plane endpoint must be limited to known source ranges: the normalized
#   `cluster.endpoint.allowedCidrs` (EKS `publicAccessCidrs`, AKS `apiServerAccessProfile.authorizedIPRanges`
#   where an empty list admits everyone, GKE authorized networks) must not admit a /0. Where the cloud also filters its private
#   endpoint by source range (GKE authorized networks, `cluster.endpoint.privateAllowedCidrs`), a cluster
#   without a public endpoint must restrict that one too. EKS and AKS private endpoints are bounded by the
#   VPC / VNet and their security groups, which this rule does not judge.
# custom:
#   id: CLU-002
#   severity: critical
#   kind: [cluster]
#   applies:
#     distribution: [eks, aks, gke]
#   requires: [cluster.endpoint.public, cluster.endpoint.allowedCidrs]
#   aliases:
#     - {id: EKS-002, distribution: [eks]}
#     - {id: AKS-002, distribution: [aks]}
#     - {id: GKE-003, distribution: [gke]}
#   frameworks:
#     cis-eks-1.8: ["5.4.1"]
#     cis-aks-1.8: ["5.4.1"]
#     cis-gke-1.9: ["5.6.3"]
#     nist-800-53-r5: ["AC-4", "SC-7", "SC-7(3)"]
#     pci-dss-4.0: ["1.3.1"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.2"]
#   unverified: [pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     EKS: `aws eks update-cluster-config --resources-vpc-config publicAccessCidrs=<cidrs>`. AKS:
#     `az aks update --api-server-authorized-ip-ranges <cidrs>`. GKE: `gcloud container clusters update
#     --enable-master-authorized-networks --master-authorized-networks <cidrs>`. Or make the endpoint private.
package posture.rules.clu_002

import data.posture.lib.k8s
import rego.v1

# GKE reported a missing allow-list and a /0 in it at two places; either record continues here.
gke_paths := ["masterAuthorizedNetworksConfig/enabled", "masterAuthorizedNetworksConfig/cidrBlocks"]

violation contains {
	"msg": sprintf("%s cluster %s lets any address reach its public API server (%s)", [k8s.label, input.cluster.name, shown(cidrs)]),
	"path": "endpoint/allowedCidrs",
	"evidence": cidrs,
	"aliasPath": k8s.earlier_path({"aks": "apiServerAccessProfile/authorizedIPRanges", "gke": gke_paths}),
} if {
	k8s.is_cluster(input)
	input.cluster.endpoint.public == true
	cidrs := input.cluster.endpoint.allowedCidrs
	k8s.open_to_world(cidrs)
}

violation contains {
	"msg": sprintf("%s cluster %s lets any address that routes to its private API server endpoint reach it (%s)", [k8s.label, input.cluster.name, shown(cidrs)]),
	"path": "endpoint/privateAllowedCidrs",
	"evidence": cidrs,
	"aliasPath": k8s.earlier_path({"gke": gke_paths}),
} if {
	k8s.is_cluster(input)
	input.cluster.endpoint.public == false
	cidrs := object.get(input.cluster.endpoint, "privateAllowedCidrs", null)
	is_array(cidrs)
	k8s.open_to_world(cidrs)
}

shown(cidrs) := concat(", ", cidrs)
