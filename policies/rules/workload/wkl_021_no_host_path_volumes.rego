# METADATA
# title: Workloads use no host path volumes
# description: >-
#   A host path volume (Kubernetes `volumes[].hostPath`, an ECS task volume with `host.sourcePath`)
#   exposes the node's file system to the containers; the Pod Security Standards' Baseline forbids every
#   one, whatever the path (WKL-009 singles out the paths that hand over the node). Declared volumes count
#   whether or not a container mounts them, as in admission.
# custom:
#   id: WKL-021
#   severity: medium
#   kind: [workload]
#   requires: [workload.volumes]
#   frameworks:
#     k8s-pss: ["hostPathVolumes", "restrictedVolumes"]
#     cis-k8s-1.12: ["5.2.11"]
#     nsa-cisa-k8s-1.2: ["pod-security/enforcement"]
#   unverified: [nsa-cisa-k8s-1.2]
#   remediation: >-
#     Replace the host path with an emptyDir, a ConfigMap/Secret or a persistent volume (ECS: a task volume
#     without a source path, EFS or a Docker volume).
package posture.rules.wkl_021

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("%s declares host path volume %s (%s)", [workload.label, v.name, v.hostPath]),
	"path": sprintf("volumes/%s/hostPath", [v.name]),
	"evidence": v.hostPath,
} if {
	workload.is_workload
	some v in object.get(input.workload, "volumes", [])
	is_string(v.hostPath)
}
