# METADATA
# title: AKS disallows run-command and SSH to nodes
# description: >-
#   `az aks command invoke` (run-command) bypasses network restrictions on the API server and
#   should be disabled (`apiServerAccessProfile.disableRunCommand`, default false); agent pools
#   should turn the SSH service off (`securityProfile.sshAccess: Disabled`; default LocalUser).
# custom:
#   id: AKS-013
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [raw.resource]
#   frameworks:
#     nist-800-53-r5: ["AC-17"]
#     pci-dss-4.0: ["2.2.4"]
#     disa-k8s-stig: ["V-242393"]
#     owasp-docker-top10: ["D04"]
#     nist-800-190: ["4.1.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, disa-k8s-stig, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Disable run-command (`az aks update --disable-run-command`) and SSH on every node pool
#     (`az aks nodepool update --ssh-access disabled`).
package posture.rules.aks_013

import data.posture.lib.azure
import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s allows run-command on the API server", [input.cluster.name]),
	"path": "apiServerAccessProfile/disableRunCommand",
	"evidence": azure.prop_or(input, ["apiServerAccessProfile", "disableRunCommand"], null),
} if {
	azure.is_aks(input)
	azure.prop_or(input, ["apiServerAccessProfile", "disableRunCommand"], false) != true
}

violation contains {
	"msg": sprintf("AKS agent pool %s allows SSH to its nodes (sshAccess %s)", [name, access]),
	"path": sprintf("agentPoolProfiles/%s/securityProfile/sshAccess", [name]),
	"evidence": access,
} if {
	azure.is_aks(input)
	some pool in azure.agent_pools(input)
	access := azure.sub(pool, ["securityProfile", "sshAccess"], "LocalUser")
	not disabled(access)
	name := azure.pool_name(pool)
}

disabled(access) if lower(access) == "disabled"
