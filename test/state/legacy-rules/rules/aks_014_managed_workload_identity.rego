# METADATA
# title: AKS uses a managed identity and workload identity
# description: >-
#   The cluster should authenticate to Azure with a managed identity, not a service principal
#   with a stored secret (`servicePrincipalProfile.clientId` other than `msi`), and pods should
#   reach Azure through workload identity (`securityProfile.workloadIdentity.enabled`, with the
#   OIDC issuer it needs).
# custom:
#   id: AKS-014
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [raw.resource]
#   frameworks:
#     cis-aks-1.8: ["5.2.1"]
#     nist-800-53-r5: ["IA-5", "AC-6"]
#     pci-dss-4.0: ["8.6.3"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.3.1"]
#   unverified: [cis-aks-1.8, nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Move the cluster to a managed identity (`az aks update --enable-managed-identity`), and enable
#     the OIDC issuer and workload identity (`--enable-oidc-issuer --enable-workload-identity`).
package posture.rules.aks_014

import data.posture.lib.azure
import rego.v1

managed_identity_types := {"systemassigned", "userassigned"}

violation contains {
	"msg": sprintf("AKS cluster %s authenticates to Azure with a service principal instead of a managed identity", [input.cluster.name]),
	"path": "identity/type",
	"evidence": {"identityType": azure.prop_or(input, ["identity", "type"], null), "servicePrincipal": service_principal_in_use},
} if {
	azure.is_aks(input)
	not managed_identity
}

violation contains {
	"msg": sprintf("AKS cluster %s does not enable workload identity for pods", [input.cluster.name]),
	"path": "securityProfile/workloadIdentity/enabled",
	"evidence": {
		"workloadIdentity": azure.prop_or(input, ["securityProfile", "workloadIdentity", "enabled"], null),
		"oidcIssuer": azure.prop_or(input, ["oidcIssuerProfile", "enabled"], null),
	},
} if {
	azure.is_aks(input)
	not workload_identity
}

# A client id other than "msi" is a service principal, whatever the identity block says.
service_principal_in_use if {
	id := azure.prop(input, ["servicePrincipalProfile", "clientId"])
	lower(id) != "msi"
}

default service_principal_in_use := false

managed_identity if {
	lower(azure.prop(input, ["identity", "type"])) in managed_identity_types
	not service_principal_in_use
}

workload_identity if {
	azure.prop(input, ["securityProfile", "workloadIdentity", "enabled"]) == true
	azure.prop(input, ["oidcIssuerProfile", "enabled"]) == true
}
