# METADATA
# title: AKS upgrades automatically
# description: >-
#   The cluster must follow an auto-upgrade channel (`autoUpgradeProfile.upgradeChannel`, default none),
#   and node OS images must be patched (`nodeOSUpgradeChannel`, default NodeImage; None and Unmanaged fail).
#   The versions themselves are judged for every cloud by CLU-005.
# custom:
#   id: AKS-010
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [cluster.aks]
#   frameworks:
#     nist-800-53-r5: ["SI-2", "SI-2(6)"]
#     pci-dss-4.0: ["6.3.3"]
#     disa-k8s-stig: ["V-242443"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.4.1"]
#   unverified: [owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Set an upgrade channel (`az aks update --auto-upgrade-channel patch|stable`) and a node OS channel
#     (`--node-os-upgrade-channel NodeImage|SecurityPatch`).
package posture.rules.aks_010

import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s has no auto-upgrade channel", [input.cluster.name]),
	"path": "autoUpgradeProfile/upgradeChannel",
	"evidence": channel,
} if {
	channel := input.cluster.aks.upgradeChannel
	not upgrading(channel)
}

violation contains {
	"msg": sprintf("AKS cluster %s does not patch node OS images (nodeOSUpgradeChannel %s)", [input.cluster.name, channel]),
	"path": "autoUpgradeProfile/nodeOSUpgradeChannel",
	"evidence": channel,
} if {
	channel := node_os_channel
	lower(channel) in {"none", "unmanaged"}
}

upgrading(channel) if {
	is_string(channel)
	not lower(channel) in {"", "none"}
}

# Unset is the API default, NodeImage.
node_os_channel := input.cluster.aks.nodeOSUpgradeChannel if is_string(input.cluster.aks.nodeOSUpgradeChannel)

else := "NodeImage" if input.cluster.aks
