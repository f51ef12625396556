# METADATA
# title: Pods use only the volume types of the Restricted profile
# description: >-
#   Under the Pod Security Standards' Restricted profile a pod may use only configMap, csi, downwardAPI,
#   emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes; inline sources such as
#   nfs, iscsi, gitRepo, cephfs or cloud disks bypass the PersistentVolume controls an administrator set.
#   hostPath is judged by WKL-021.
# custom:
#   id: WKL-030
#   severity: medium
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.volumes.source]
#   frameworks:
#     k8s-pss: ["restrictedVolumes"]
#   remediation: >-
#     Replace the inline volume with a PersistentVolumeClaim bound to a PersistentVolume the cluster
#     administrator provides, or with an emptyDir / ConfigMap / Secret.
package posture.rules.wkl_030

import data.posture.lib.workload
import rego.v1

allowed := {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret"}

violation contains {
	"msg": sprintf("%s uses %s volume %s, which the Restricted profile does not allow", [workload.label, v.source, v.name]),
	"path": sprintf("volumes/%s", [v.name]),
	"evidence": v.source,
} if {
	workload.is_kubernetes
	some v in input.workload.volumes
	not v.source in allowed
	v.source != "hostPath"
}
