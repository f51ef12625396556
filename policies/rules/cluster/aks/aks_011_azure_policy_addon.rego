# METADATA
# title: AKS Azure Policy add-on enabled
# description: >-
#   The Azure Policy add-on (Gatekeeper) should be on so admission policies guard what runs in the
#   cluster (`addonProfiles.azurepolicy.enabled`, off unless set).
# custom:
#   id: AKS-011
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [cluster.aks]
#   frameworks:
#     nist-800-53-r5: ["CM-6"]
#     pci-dss-4.0: ["1.2.5", "2.2.4"]
#     owasp-docker-top10: ["D04"]
#     nist-800-190: ["4.4.3"]
#   unverified: [owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable the add-on (`az aks enable-addons --addons azure-policy`) and assign the Kubernetes
#     policy initiatives that fit the workload.
package posture.rules.aks_011

import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s does not run the Azure Policy add-on", [input.cluster.name]),
	"path": "addonProfiles/azurepolicy/enabled",
	"evidence": aks.azurePolicyAddon,
} if {
	aks := input.cluster.aks
	aks.azurePolicyAddon != true
}
