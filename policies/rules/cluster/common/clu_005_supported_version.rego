# METADATA
# title: Kubernetes control plane and nodes on a supported version, in step
# description: >-
#   The control plane must run at least the configured minimum minor version (`kubernetes.minVersion`),
#   and every node pool that names its own version must run at least that minimum and no older a minor
#   than its control plane. Judges the normalized `cluster.version` (EKS `version`, AKS
#   `currentKubernetesVersion`, GKE `currentMasterVersion`) and `cluster.nodePools[].version`. A version
#   that cannot be read as major.minor fails.
# custom:
#   id: CLU-005
#   severity: high
#   kind: [cluster]
#   applies:
#     distribution: [eks, aks, gke]
#   requires: [cluster.version]
#   aliases:
#     - {id: EKS-005, distribution: [eks]}
#     - {id: AKS-010, distribution: [aks]}
#     - {id: GKE-008, distribution: [gke]}
#   frameworks:
#     aws-fsbp: ["EKS.2"]
#     nist-800-53-r5: ["CA-9(1)", "CM-2", "SI-2", "SI-2(2)", "SI-2(4)", "SI-2(5)"]
#     pci-dss-4.0: ["6.3.3"]
#     disa-k8s-stig: ["V-242443", "V-242442"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.4.1"]
#   unverified: [disa-k8s-stig, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Upgrade the control plane one minor version at a time (`aws eks update-cluster-version`,
#     `az aks upgrade`, `gcloud container clusters upgrade --master`), then the node pools to match.
package posture.rules.clu_005

import data.posture.lib.k8s
import data.posture.lib.k8s_version
import rego.v1

violation contains {
	"msg": sprintf("%s cluster %s runs Kubernetes %s, older than the minimum %s", [k8s.label, input.cluster.name, version, k8s_version.min_version]),
	"path": "version",
	"evidence": {"version": version, "minimum": k8s_version.min_version},
	"aliasPath": k8s.earlier_path({"aks": "currentKubernetesVersion", "gke": "currentMasterVersion"}),
} if {
	k8s.is_cluster(input)
	version := input.cluster.version
	is_string(version)
	k8s_version.below_min(version)
}

violation contains {
	"msg": sprintf("node pool %s of %s cluster %s runs Kubernetes %s, %s", [pool.name, k8s.label, input.cluster.name, pool.version, concat(" and ", problems)]),
	"path": sprintf("nodePools/%s/version", [pool.name]),
	"evidence": {"nodePoolVersion": pool.version, "clusterVersion": input.cluster.version, "minimum": k8s_version.min_version},
	"aliasPath": k8s.earlier_path({"aks": sprintf("agentPoolProfiles/%s/orchestratorVersion", [pool.name])}),
} if {
	k8s.is_cluster(input)
	some pool in input.cluster.nodePools
	is_string(pool.version)
	problems := pool_problems(pool.version)
	count(problems) > 0
}

pool_problems(version) := array.concat(
	[sprintf("older than the minimum %s", [k8s_version.min_version]) | k8s_version.below_min(version)],
	[sprintf("behind its control plane's %s", [input.cluster.version]) | behind_control_plane(version)],
)

behind_control_plane(version) if {
	nodes := k8s_version.major_minor(version)
	plane := k8s_version.major_minor(input.cluster.version)
	nodes[0] < plane[0]
}

behind_control_plane(version) if {
	nodes := k8s_version.major_minor(version)
	plane := k8s_version.major_minor(input.cluster.version)
	nodes[0] == plane[0]
	nodes[1] < plane[1]
}
