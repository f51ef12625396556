# METADATA
# title: ECS Exec sessions are logged and encrypted
# description: >-
#   When a service enables ECS Exec (`enableExecuteCommand`), its cluster's
#   `configuration.executeCommandConfiguration` must keep session logs (`logging` not NONE) and
#   encrypt sessions with a customer KMS key (`kmsKeyId`). An absent configuration has no KMS key.
#   Judged when the service's cluster (DescribeClusters with CONFIGURATIONS) was collected.
# custom:
#   id: ECS-015
#   severity: medium
#   kind: [service]
#   applies:
#     provider: [aws]
#   requires: [raw.cluster]
#   frameworks:
#     nist-800-53-r5: ["AC-17", "AU-2"]
#     pci-dss-4.0: ["10.2.1.2"]
#     owasp-docker-top10: ["D10"]
#     nist-800-190: ["4.1.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Disable ECS Exec on services that do not need it; otherwise set the cluster's
#     executeCommandConfiguration with a KMS key and `logging: DEFAULT` or `OVERRIDE` with a
#     CloudWatch log group or S3 bucket.
package posture.rules.ecs_015

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("ECS service %s allows ECS Exec but cluster %s does not log the sessions", [input.service.name, cluster_name(cluster)]),
	"path": "cluster/configuration/executeCommandConfiguration/logging",
	"evidence": "NONE",
} if {
	exec_enabled
	cluster := aws.ecs_cluster(input)
	upper(object.get(exec_config(cluster), "logging", "DEFAULT")) == "NONE"
}

violation contains {
	"msg": sprintf("ECS service %s allows ECS Exec but cluster %s encrypts sessions with no KMS key of its own", [input.service.name, cluster_name(cluster)]),
	"path": "cluster/configuration/executeCommandConfiguration/kmsKeyId",
	"evidence": null,
} if {
	exec_enabled
	cluster := aws.ecs_cluster(input)
	not has_key(exec_config(cluster))
}

exec_enabled if {
	aws.is_ecs_service(input)
	input.service.execCommand == true
}

exec_config(cluster) := object.get(cluster, ["configuration", "executeCommandConfiguration"], {})

has_key(config) if trim_space(config.kmsKeyId) != ""

cluster_name(cluster) := object.get(cluster, "clusterName", input.service.cluster)
