# METADATA
# title: ECS clusters have Container Insights enabled
# description: >-
#   The cluster running the service must have the `containerInsights` setting `enabled` or
#   `enhanced`, so task and container metrics and performance events are collected. Absent means
#   disabled (the default unless the account setting says otherwise). Judged when the service's
#   cluster (DescribeClusters with SETTINGS) was collected.
# custom:
#   id: ECS-014
#   severity: medium
#   kind: [service]
#   applies:
#     provider: [aws]
#   requires: [raw.cluster]
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
	"msg": sprintf("ECS cluster %s (service %s) has Container Insights %s", [cluster_name, input.service.name, value]),
	"path": "cluster/settings/containerInsights",
	"evidence": value,
} if {
	aws.is_ecs_service(input)
	cluster := aws.ecs_cluster(input)
	value := insights(cluster)
	not lower(value) in {"enabled", "enhanced"}
	cluster_name := object.get(cluster, "clusterName", input.service.cluster)
}

insights(cluster) := value if {
	some setting in object.get(cluster, "settings", [])
	setting.name == "containerInsights"
	value := setting.value
} else := "disabled"
