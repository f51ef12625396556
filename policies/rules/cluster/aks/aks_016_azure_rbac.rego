# METADATA
# title: AKS authorizes Kubernetes requests with Azure RBAC
# description: >-
#   With Azure RBAC for Kubernetes authorization (`aadProfile.enableAzureRBAC`), who may do what in
#   the cluster is granted with Azure role assignments, reviewed and audited with the rest of the
#   subscription's access, instead of only in RoleBindings inside the cluster. Fails when it is off
#   (including clusters without Entra integration); judged from the normalized `cloudRbac`.
# custom:
#   id: AKS-016
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [cluster.cloudRbac]
#   frameworks:
#     cis-aks-1.8: ["5.5.2"]
#     nist-800-53-r5: ["AC-2", "AC-3"]
#   unverified: [nist-800-53-r5]
#   remediation: >-
#     `az aks update --resource-group <rg> --name <cluster> --enable-aad --enable-azure-rbac`, then
#     grant the built-in "Azure Kubernetes Service RBAC" roles at cluster or namespace scope.
package posture.rules.aks_016

import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s does not use Azure RBAC for Kubernetes authorization", [input.cluster.name]),
	"path": "aadProfile/enableAzureRBAC",
	"evidence": false,
} if {
	input.kind == "cluster"
	input.cluster.distribution == "aks"
	input.cluster.cloudRbac == false
}
