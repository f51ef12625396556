# METADATA
# title: EFS volumes of ECS tasks are encrypted in transit
# description: >-
#   An `efsVolumeConfiguration` must set `transitEncryption: ENABLED`, so NFS traffic between the
#   task and the file system travels over TLS. Absent means DISABLED (the API default).
# custom:
#   id: ECS-011
#   severity: high
#   kind: [workload]
#   applies:
#     provider: [aws]
#     platform: [ecs]
#   requires: [raw.taskDefinition]
#   frameworks:
#     aws-fsbp: ["ECS.18"]
#     nist-800-53-r5: ["SC-8"]
#     pci-dss-4.0: ["4.2.1"]
#   unverified: [aws-fsbp, nist-800-53-r5, pci-dss-4.0]
#   remediation: >-
#     Set `transitEncryption: ENABLED` (and preferably IAM authorization through an access point)
#     in the volume's `efsVolumeConfiguration`, then register a new revision.
package posture.rules.ecs_011

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("EFS volume %s in task definition %s is not encrypted in transit", [vol.name, input.workload.name]),
	"path": sprintf("volumes/%s/efsVolumeConfiguration/transitEncryption", [vol.name]),
	"evidence": setting,
} if {
	aws.is_ecs_workload(input)
	some vol in object.get(aws.task_definition(input), "volumes", [])
	efs := vol.efsVolumeConfiguration
	is_object(efs)
	setting := object.get(efs, "transitEncryption", "DISABLED")
	setting != "ENABLED"
}
