# METADATA
# title: ECS containers do not run privileged
# description: >-
#   A privileged container (`privileged: true` in the container definition) gets every
#   capability and the host's devices, so a compromise of the container is a compromise of
#   the EC2 host. Absent means false (the API default).
# custom:
#   id: ECS-001
#   severity: high
#   kind: [workload]
#   applies:
#     provider: [aws]
#     platform: [ecs]
#   frameworks:
#     cis-docker-1.6: ["5.5"]
#     aws-fsbp: ["ECS.4"]
#     nist-800-53-r5: ["AC-2(1)", "AC-3", "AC-3(7)", "AC-3(15)", "AC-5", "AC-6"]
#     pci-dss-4.0: ["7.2.1", "7.2.2", "7.2.3"]
#     disa-k8s-stig: ["V-242435"]
#     owasp-docker-top10: ["D04"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, disa-k8s-stig, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Remove `privileged: true` from the container definition and register a new revision;
#     grant only the specific Linux capabilities the process needs.
package posture.rules.ecs_001

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("container %s in task definition %s runs privileged", [c.name, input.workload.name]),
	"path": sprintf("containers/%s/privileged", [c.name]),
	"evidence": true,
} if {
	aws.is_ecs_workload(input)
	some c in input.workload.containers
	object.get(c, "privileged", false) == true
}
