# METADATA
# title: Kubernetes NetworkPolicy is enforced
# description: >-
#   Something in the cluster must enforce NetworkPolicy objects, or pods cannot be isolated from each
#   other. Judges the normalized `cluster.networkPolicy`: EKS the VPC CNI add-on with
#   `enableNetworkPolicy` in its configuration values, or a Calico / Cilium / Tigera add-on (unknown when
#   the add-ons were not read); AKS `networkProfile.networkPolicy` naming an engine (not none); GKE the
#   network policy add-on or GKE Dataplane V2 (`ADVANCED_DATAPATH`).
# custom:
#   id: CLU-006
#   severity: medium
#   kind: [cluster]
#   applies:
#     distribution: [eks, aks, gke]
#   requires: [cluster.networkPolicy]
#   aliases:
#     - {id: EKS-007, distribution: [eks]}
#     - {id: AKS-005, distribution: [aks]}
#     - {id: GKE-012, distribution: [gke]}
#   frameworks:
#     cis-eks-1.8: ["5.4.4"]
#     cis-aks-1.8: ["5.4.4"]
#     cis-gke-1.9: ["4.3.1"]
#     nist-800-53-r5: ["AC-4", "SC-7"]
#     pci-dss-4.0: ["1.3.1"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.3"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     EKS: set `{"enableNetworkPolicy": "true"}` in the vpc-cni add-on's configuration values (or install
#     Calico / Cilium). AKS: `az aks update --network-policy azure|calico|cilium`. GKE: create clusters with
#     `--enable-dataplane-v2`, or `gcloud container clusters update --enable-network-policy`. Then apply
#     default-deny policies per namespace.
package posture.rules.clu_006

import data.posture.lib.k8s
import rego.v1

violation contains {
	"msg": sprintf("%s cluster %s enforces no NetworkPolicy", [k8s.label, input.cluster.name]),
	"path": "networkPolicy",
	"evidence": false,
	"aliasPath": k8s.earlier_path({
		"eks": "addons/vpc-cni/configurationValues/enableNetworkPolicy",
		"aks": "networkProfile/networkPolicy",
		"gke": "networkPolicy/enabled",
	}),
} if {
	k8s.is_cluster(input)
	input.cluster.networkPolicy == false
}
