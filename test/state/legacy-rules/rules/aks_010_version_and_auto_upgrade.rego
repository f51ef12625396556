# METADATA
# title: AKS on a supported Kubernetes version with automatic upgrades
# description: >-
#   The control plane and node pools must run at least the configured minimum minor version
#   (`kubernetes.minVersion`), the cluster must follow an auto-upgrade channel
#   (`autoUpgradeProfile.upgradeChannel`, default none), and node OS images must be patched
#   (`nodeOSUpgradeChannel`, default NodeImage; None and Unmanaged fail).
# custom:
#   id: AKS-010
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [raw.resource]
#   frameworks:
#     nist-800-53-r5: ["SI-2", "SI-2(6)"]
#     pci-dss-4.0: ["6.3.3"]
#     disa-k8s-stig: ["V-242443"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.4.1"]
#   unverified: [owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Upgrade the cluster (`az aks upgrade`), then set an upgrade channel
#     (`az aks update --auto-upgrade-channel patch|stable`) and a node OS channel
#     (`--node-os-upgrade-channel NodeImage|SecurityPatch`).
package posture.rules.aks_010

import data.posture.lib.azure
import data.posture.lib.k8s_version
import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s runs Kubernetes %s, older than the minimum %s", [input.cluster.name, shown(version), k8s_version.min_version]),
	"path": "currentKubernetesVersion",
	"evidence": version,
} if {
	azure.is_aks(input)
	version := cluster_version
	k8s_version.below_min(version)
}

violation contains {
	"msg": sprintf("AKS agent pool %s runs Kubernetes %s, older than the minimum %s", [name, version, k8s_version.min_version]),
	"path": sprintf("agentPoolProfiles/%s/orchestratorVersion", [name]),
	"evidence": version,
} if {
	azure.is_aks(input)
	some pool in azure.agent_pools(input)
	version := pool_version(pool)
	k8s_version.below_min(version)
	name := azure.pool_name(pool)
}

violation contains {
	"msg": sprintf("AKS cluster %s has no auto-upgrade channel", [input.cluster.name]),
	"path": "autoUpgradeProfile/upgradeChannel",
	"evidence": channel,
} if {
	azure.is_aks(input)
	channel := azure.prop_or(input, ["autoUpgradeProfile", "upgradeChannel"], null)
	not upgrading(channel)
}

violation contains {
	"msg": sprintf("AKS cluster %s does not patch node OS images (nodeOSUpgradeChannel %s)", [input.cluster.name, channel]),
	"path": "autoUpgradeProfile/nodeOSUpgradeChannel",
	"evidence": channel,
} if {
	azure.is_aks(input)
	channel := azure.prop_or(input, ["autoUpgradeProfile", "nodeOSUpgradeChannel"], "NodeImage")
	is_string(channel)
	lower(channel) in {"none", "unmanaged"}
}

# The running version first; the requested one or the normalized one when that is missing.
cluster_version := v if {
	v := azure.prop(input, ["currentKubernetesVersion"])
} else := v if {
	v := azure.prop(input, ["kubernetesVersion"])
} else := input.cluster.version

# A pool without its own version runs the control plane's; only an explicit one is judged here.
pool_version(pool) := v if {
	v := azure.sub(pool, ["currentOrchestratorVersion"], null)
	v != null
} else := v if {
	v := azure.sub(pool, ["orchestratorVersion"], null)
	v != null
}

upgrading(channel) if {
	is_string(channel)
	not lower(channel) in {"", "none"}
}

shown(version) := version if is_string(version)

else := "(unknown)"
