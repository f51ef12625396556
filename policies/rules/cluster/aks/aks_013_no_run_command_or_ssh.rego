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
#   requires: [cluster.aks]
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

import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s allows run-command on the API server", [input.cluster.name]),
	"path": "apiServerAccessProfile/disableRunCommand",
	"evidence": aks.disableRunCommand,
} if {
	aks := input.cluster.aks
	aks.disableRunCommand != true
}

violation contains {
	"msg": sprintf("AKS agent pool %s allows SSH to its nodes (sshAccess %s)", [pool.name, access]),
	"path": sprintf("agentPoolProfiles/%s/securityProfile/sshAccess", [pool.name]),
	"evidence": access,
} if {
	some pool in input.cluster.aks.agentPools
	access := ssh_access(pool)
	lower(access) != "disabled"
}

# Unset is the API default, LocalUser.
ssh_access(pool) := pool.sshAccess if is_string(pool.sshAccess)

else := "LocalUser"
