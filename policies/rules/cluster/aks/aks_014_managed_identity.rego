# METADATA
# title: AKS authenticates to Azure with a managed identity
# description: >-
#   The cluster should authenticate to Azure with a managed identity (`identity.type` SystemAssigned or
#   UserAssigned), not a service principal with a stored secret (`servicePrincipalProfile.clientId` other
#   than `msi`). Workload identity for pods is judged for every cloud by CLU-008.
# custom:
#   id: AKS-014
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [cluster.aks]
#   frameworks:
#     nist-800-53-r5: ["IA-5"]
#     pci-dss-4.0: ["8.6.3"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.3.1"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Move the cluster to a managed identity (`az aks update --enable-managed-identity`) and remove the
#     service principal's secret.
package posture.rules.aks_014

import rego.v1

managed_identity_types := {"systemassigned", "userassigned"}

violation contains {
	"msg": sprintf("AKS cluster %s authenticates to Azure with a service principal instead of a managed identity", [input.cluster.name]),
	"path": "identity/type",
	"evidence": {"identityType": aks.identityType, "servicePrincipal": service_principal_in_use},
} if {
	aks := input.cluster.aks
	not managed_identity
}

# A client id other than "msi" is a service principal, whatever the identity block says.
default service_principal_in_use := false

service_principal_in_use if {
	id := input.cluster.aks.servicePrincipalClientId
	is_string(id)
	lower(id) != "msi"
}

managed_identity if {
	lower(input.cluster.aks.identityType) in managed_identity_types
	not service_principal_in_use
}
