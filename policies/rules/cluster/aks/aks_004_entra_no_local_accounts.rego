# METADATA
# title: AKS uses Entra ID authentication and no local accounts
# description: >-
#   Cluster access should be authenticated by Microsoft Entra ID (`aadProfile` set) and the
#   static local admin credentials disabled (`disableLocalAccounts`, default false).
# custom:
#   id: AKS-004
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [cluster.aks.entraId]
#   frameworks:
#     cis-aks-1.8: ["5.5.1"]
#     nist-800-53-r5: ["AC-2", "IA-2"]
#     pci-dss-4.0: ["8.2.2"]
#     nist-800-190: ["4.3.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, nist-800-190]
#   remediation: >-
#     Enable AKS-managed Entra ID integration (`az aks update --enable-aad`) and then disable
#     local accounts (`az aks update --disable-local-accounts`).
package posture.rules.aks_004

import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s is not integrated with Entra ID (aadProfile is not set)", [input.cluster.name]),
	"path": "aadProfile",
	"evidence": null,
} if {
	aks := input.cluster.aks
	aks.entraId == false
}

violation contains {
	"msg": sprintf("AKS cluster %s still allows local accounts with static credentials", [input.cluster.name]),
	"path": "disableLocalAccounts",
	"evidence": aks.disableLocalAccounts,
} if {
	aks := input.cluster.aks
	aks.disableLocalAccounts != true
}
