# METADATA
# title: GKE nodes auto-repair and auto-upgrade, on a release channel and a supported version
# description: >-
#   Node pools must auto-repair and auto-upgrade (`management`; unset = false), the cluster must be
#   enrolled in a release channel (`releaseChannel.channel` other than UNSPECIFIED), and the control
#   plane and node pools must run at least the configured minimum minor version.
# custom:
#   id: GKE-008
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.5.2", "5.5.3", "5.5.4"]
#     nist-800-53-r5: ["SI-2"]
#     pci-dss-4.0: ["6.3.3"]
#     disa-k8s-stig: ["V-242443"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.4.1"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, disa-k8s-stig, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enroll the cluster in a release channel (`gcloud container clusters update --release-channel
#     regular`), enable `--enable-autorepair --enable-autoupgrade` on every node pool, and upgrade
#     clusters older than the supported minimum.
package posture.rules.gke_008

import data.posture.lib.gcp
import data.posture.lib.k8s_version
import rego.v1

violation contains {
	"msg": sprintf("GKE node pool %s has %s off", [name, setting]),
	"path": sprintf("nodePools/%s/management/%s", [name, setting]),
	"evidence": gcp.get(pool, ["management", setting], null),
} if {
	gcp.is_gke(input)
	some pool in gcp.node_pools(input)
	some setting in ["autoRepair", "autoUpgrade"]
	gcp.get(pool, ["management", setting], false) != true
	name := gcp.pool_name(pool)
}

violation contains {
	"msg": sprintf("GKE cluster %s is not enrolled in a release channel", [input.cluster.name]),
	"path": "releaseChannel/channel",
	"evidence": channel,
} if {
	gcp.is_gke(input)
	channel := gcp.get(gcp.cluster(input), ["releaseChannel", "channel"], "UNSPECIFIED")
	channel == "UNSPECIFIED"
}

violation contains {
	"msg": sprintf("GKE cluster %s control plane runs an unsupported Kubernetes version (minimum %s)", [input.cluster.name, k8s_version.min_version]),
	"path": "currentMasterVersion",
	"evidence": version,
} if {
	gcp.is_gke(input)
	version := gcp.get(gcp.cluster(input), ["currentMasterVersion"], input.cluster.version)
	k8s_version.below_min(version)
}

violation contains {
	"msg": sprintf("GKE node pool %s runs Kubernetes %s, older than the minimum %s", [name, version, k8s_version.min_version]),
	"path": sprintf("nodePools/%s/version", [name]),
	"evidence": version,
} if {
	gcp.is_gke(input)
	some pool in gcp.node_pools(input)
	version := gcp.get(pool, ["version"], null)
	version != null
	k8s_version.below_min(version)
	name := gcp.pool_name(pool)
}
