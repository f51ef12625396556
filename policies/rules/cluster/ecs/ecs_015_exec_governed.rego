# METADATA
# title: ECS Exec sessions are logged and encrypted
# description: >-
#   When any service in an ECS cluster enables ECS Exec (`enableExecuteCommand`), the cluster's
#   `configuration.executeCommandConfiguration` must keep session logs (`logging` not NONE; with
#   OVERRIDE, a CloudWatch log group or S3 bucket, each with encryption on) and encrypt sessions
#   with a customer KMS key (`kmsKeyId`). An absent configuration has no KMS key. A cluster whose
#   services or configuration could not be read is not judged.
# custom:
#   id: ECS-015
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [ecs]
#   requires: [cluster.executeCommand, cluster.execEnabledServices]
#   frameworks:
#     nist-800-53-r5: ["AC-17", "AU-2"]
#     pci-dss-4.0: ["10.2.1.2"]
#     owasp-docker-top10: ["D10"]
#     nist-800-190: ["4.1.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Disable ECS Exec on services that do not need it; otherwise set the cluster's
#     executeCommandConfiguration with a KMS key and `logging: DEFAULT`, or `OVERRIDE` with an
#     encrypted CloudWatch log group or S3 bucket.
package posture.rules.ecs_015

import data.posture.lib.aws
import rego.v1

exec := input.cluster.executeCommand

exec_services := input.cluster.execEnabledServices

governs if {
	aws.is_ecs_cluster(input)
	is_object(exec)
	is_array(exec_services)
	count(exec_services) > 0
}

violation contains {
	"msg": sprintf("ECS cluster %s does not log ECS Exec sessions, which services %s allow", [input.cluster.name, concat(", ", exec_services)]),
	"path": "configuration/executeCommandConfiguration/logging",
	"evidence": {"logging": exec.logging, "services": exec_services},
} if {
	governs
	not logged
}

violation contains {
	"msg": sprintf("ECS cluster %s encrypts ECS Exec sessions with no KMS key of its own (services %s allow ECS Exec)", [input.cluster.name, concat(", ", exec_services)]),
	"path": "configuration/executeCommandConfiguration/kmsKeyId",
	"evidence": {"kmsKeyId": null, "services": exec_services},
} if {
	governs
	not is_string(exec.kmsKeyId)
}

violation contains {
	"msg": sprintf("ECS cluster %s writes ECS Exec session logs to %s without encryption", [input.cluster.name, destination]),
	"path": sprintf("configuration/executeCommandConfiguration/logConfiguration/%s", [destination]),
	"evidence": {"destination": destination, "services": exec_services},
} if {
	governs
	exec.logging == "OVERRIDE"
	some destination in unencrypted_destinations
}

# DEFAULT sends session output to the task's awslogs configuration; OVERRIDE needs a destination.
logged if exec.logging == "DEFAULT"

logged if {
	exec.logging == "OVERRIDE"
	count(destinations) > 0
}

destinations contains "cloudWatch" if is_string(exec.cloudWatchLogGroup)

destinations contains "s3" if is_string(exec.s3Bucket)

unencrypted_destinations contains "cloudWatch" if {
	is_string(exec.cloudWatchLogGroup)
	exec.cloudWatchEncryption != true
}

unencrypted_destinations contains "s3" if {
	is_string(exec.s3Bucket)
	exec.s3Encryption != true
}
