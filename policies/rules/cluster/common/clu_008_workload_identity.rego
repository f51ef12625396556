# METADATA
# title: Pods get cloud credentials through workload identity
# description: >-
#   Pods should receive short-lived cloud credentials of their own instead of borrowing the node's role
#   or carrying keys. Judges the normalized `cluster.workloadIdentity`: EKS an IAM OIDC provider for the
#   cluster's issuer (IRSA) or EKS Pod Identity in use (unknown when either could not be checked); AKS
#   `securityProfile.workloadIdentity.enabled` with the OIDC issuer on; GKE a Workload Identity pool
#   (`workloadIdentityConfig.workloadPool`).
# custom:
#   id: CLU-008
#   severity: high
#   kind: [cluster]
#   applies:
#     distribution: [eks, aks, gke]
#   requires: [cluster.workloadIdentity]
#   aliases:
#     - {id: EKS-010, distribution: [eks]}
#     - {id: AKS-014, distribution: [aks]}
#     - {id: GKE-005, distribution: [gke]}
#   frameworks:
#     cis-eks-1.8: ["5.2.1"]
#     cis-aks-1.8: ["5.2.1"]
#     cis-gke-1.9: ["5.2.2"]
#     nist-800-53-r5: ["AC-6"]
#     pci-dss-4.0: ["7.2.1"]
#     disa-k8s-stig: ["V-242381"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.3.1"]
#   unverified: [cis-aks-1.8, nist-800-53-r5, pci-dss-4.0, disa-k8s-stig, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     EKS: create an IAM OIDC provider for the cluster's issuer (`eksctl utils associate-iam-oidc-provider`)
#     or install the Pod Identity agent and create associations. AKS: `az aks update --enable-oidc-issuer
#     --enable-workload-identity`. GKE: `gcloud container clusters update
#     --workload-pool=<project>.svc.id.goog`. Then give each service account its own role.
package posture.rules.clu_008

import data.posture.lib.k8s
import rego.v1

violation contains {
	"msg": sprintf("%s cluster %s gives pods no cloud identity of their own (workload identity is off)", [k8s.label, input.cluster.name]),
	"path": "workloadIdentity",
	"evidence": false,
	"aliasPath": k8s.earlier_path({
		"eks": "identity",
		"aks": "securityProfile/workloadIdentity/enabled",
		"gke": "workloadIdentityConfig/workloadPool",
	}),
} if {
	k8s.is_cluster(input)
	input.cluster.workloadIdentity == false
}
