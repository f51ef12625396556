# METADATA
# title: Containers have a read-only root filesystem
# description: >-
#   The root filesystem must be read-only (ECS `readonlyRootFilesystem`, Kubernetes
#   `securityContext.readOnlyRootFilesystem`) so a compromised process cannot change the container's
#   binaries or drop tools into it; writable paths belong on volumes. An absent field is false (the API
#   default on both platforms) and fails. Windows workloads are not judged: neither ECS nor Kubernetes
#   supports the setting for them.
# custom:
#   id: WKL-002
#   aliases: [ECS-002]
#   severity: high
#   kind: [workload]
#   requires: [workload.containers.readOnlyRootFilesystem]
#   frameworks:
#     nsa-cisa-k8s-1.2: ["pod-security/immutable-file-systems"]
#     cis-docker-1.6: ["5.13"]
#     aws-fsbp: ["ECS.5"]
#     nist-800-53-r5: ["AC-2(1)", "AC-3", "AC-3(7)", "AC-3(15)", "AC-5", "AC-6"]
#     pci-dss-4.0: ["7.2.1", "7.2.2", "7.2.5"]
#     owasp-docker-top10: ["D09"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Set `readonlyRootFilesystem: true` (ECS) or `securityContext.readOnlyRootFilesystem: true`
#     (Kubernetes) and mount a volume (an emptyDir, or an ECS task volume) for each path the process writes.
package posture.rules.wkl_002

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s has a writable root filesystem", [c.name, workload.label]),
	"path": workload.container_path(c, "readOnlyRootFilesystem"),
	"evidence": object.get(c, "readOnlyRootFilesystem", null),
} if {
	workload.is_workload
	not workload.is_windows
	some c in workload.containers
	object.get(c, "readOnlyRootFilesystem", false) != true
}
