# METADATA
# title: ECS containers have a read-only root filesystem
# description: >-
#   `readonlyRootFilesystem` must be true so a compromised process cannot change the
#   container's binaries or drop tools into it; writable paths belong on volumes. An absent
#   field is false (the API default) and fails. Windows containers are not judged: ECS does
#   not support the setting for them.
# custom:
#   id: ECS-002
#   severity: high
#   kind: [workload]
#   applies:
#     provider: [aws]
#     platform: [ecs]
#   frameworks:
#     cis-docker-1.6: ["5.13"]
#     aws-fsbp: ["ECS.5"]
#     nist-800-53-r5: ["AC-2(1)", "AC-3", "AC-3(7)", "AC-3(15)", "AC-5", "AC-6"]
#     pci-dss-4.0: ["7.2.1", "7.2.2", "7.2.5"]
#     owasp-docker-top10: ["D09"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Set `readonlyRootFilesystem: true` in the container definition and mount a volume (or a
#     bind mount of an ephemeral task volume) for each path the process writes.
package posture.rules.ecs_002

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("container %s in task definition %s has a writable root filesystem", [c.name, input.workload.name]),
	"path": sprintf("containers/%s/readOnlyRootFilesystem", [c.name]),
	"evidence": object.get(c, "readOnlyRootFilesystem", null),
} if {
	aws.is_ecs_workload(input)
	not aws.is_windows(input)
	some c in input.workload.containers
	object.get(c, "readOnlyRootFilesystem", false) != true
}
