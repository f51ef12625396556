# METADATA
# title: AKS enforces Kubernetes network policy
# description: >-
#   Pods should be isolated by network policy; `networkProfile.networkPolicy` must name an
#   engine (azure, calico, cilium). Absent, empty or `none` means no enforcement.
# custom:
#   id: AKS-005
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [raw.resource]
#   frameworks:
#     cis-aks-1.8: ["5.4.4"]
#     nist-800-53-r5: ["AC-4", "SC-7"]
#     pci-dss-4.0: ["6.3.3"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.3"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable a network policy engine (`az aks update --network-policy azure|calico|cilium`) and
#     apply default-deny policies per namespace.
package posture.rules.aks_005

import data.posture.lib.azure
import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s enforces no network policy", [input.cluster.name]),
	"path": "networkProfile/networkPolicy",
	"evidence": policy,
} if {
	azure.is_aks(input)
	policy := azure.prop_or(input, ["networkProfile", "networkPolicy"], null)
	not enforced(policy)
}

enforced(policy) if {
	is_string(policy)
	not lower(trim_space(policy)) in {"", "none"}
}
