# METADATA
# title: ECS clusters have Container Insights enabled
# description: >-
#   Every ECS cluster, whether or not it runs services yet, must have the `containerInsights`
#   setting `enabled` or `enhanced`, so task and container metrics and performance events are
#   collected from the first task on. A cluster read without its settings (null) is not judged.
# custom:
#   id: ECS-014
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [ecs]
#   requires: [cluster.containerInsights]
#   frameworks:
#     aws-fsbp: ["ECS.12"]
#     nist-800-53-r5: ["AU-6(3)", "AU-6(4)", "CA-7", "SI-2"]
#     owasp-docker-top10: ["D10"]
#   unverified: [owasp-docker-top10]
#   remediation: >-
#     Turn it on with `aws ecs update-cluster-settings --cluster <name> --settings
#     name=containerInsights,value=enhanced` (or `enabled`).
package posture.rules.ecs_014

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("ECS cluster %s has Container Insights %s", [input.cluster.name, value]),
	"path": "settings/containerInsights",
	"evidence": value,
} if {
	aws.is_ecs_cluster(input)
	value := input.cluster.containerInsights
	is_string(value)
	not value in {"enabled", "enhanced"}
}
