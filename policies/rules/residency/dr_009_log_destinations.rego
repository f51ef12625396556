# METADATA
# title: Container logs go to allowed locations
# description: >-
#   Logs often carry personal data, so where a container ships them must be allowed for the
#   workload's data class. awslogs sends to CloudWatch in `awslogs-region` (the workload's region
#   when unset); FireLens AWS outputs (cloudwatch, firehose, kinesis, s3) to their `region` option;
#   drivers that keep logs on the host (json-file, journald, local, none, syslog and fluentd with
#   local addresses) send nowhere. Any other driver or output is a third-party endpoint whose
#   location cannot be verified, and fails closed.
# custom:
#   id: DR-009
#   severity: medium
#   kind: [workload]
#   requires: [workload.containers]
#   frameworks:
#     gdpr: ["Art. 28", "Art. 44"]
#     nist-800-53-r5: ["AU-9"]
#   unverified: [gdpr, nist-800-53-r5]
#   remediation: >-
#     Send logs to CloudWatch (or a FireLens AWS output) in an allowed region, or record the
#     processor and transfer basis and correct the classification.
package posture.rules.dr_009

import data.posture.lib.residency
import rego.v1

# Drivers that keep logs on the host or drop them.
host_drivers := {"json-file", "journald", "local", "none"}

# FireLens outputs that write to an AWS service in a region.
aws_firelens_outputs := {"cloudwatch", "cloudwatch_logs", "firehose", "kinesis_firehose", "kinesis_streams", "kinesis", "s3"}

violation contains {
	"msg": sprintf("container %s sends logs to %s (%s), which is not allowed for data class \"%s\"", [container.name, region, jurisdiction, class]),
	"path": sprintf("containers/%s/logging", [container.name]),
	"evidence": {"driver": driver(container), "region": region, "jurisdiction": jurisdiction, "class": class},
} if {
	input.kind == "workload"
	some container in input.workload.containers
	region := aws_region(container)
	class := residency.effective_class(input)
	not residency.location_allowed(input, "aws", region)
	jurisdiction := residency.jurisdiction("aws", region)
}

violation contains {
	"msg": sprintf("container %s sends logs to a third-party endpoint (%s) whose location cannot be verified; not allowed for data class \"%s\"", [container.name, destination, class]),
	"path": sprintf("containers/%s/logging", [container.name]),
	"evidence": {"driver": driver(container), "destination": destination, "class": class},
} if {
	input.kind == "workload"
	some container in input.workload.containers
	destination := third_party(container)
	class := residency.effective_class(input)
	not residency.unrestricted(input)
}

driver(container) := lower(container.logging.driver)

options(container) := object.get(container.logging, "options", {})

option(container, name) := value if {
	value := options(container)[name]
	trim_space(value) != ""
}

aws_region(container) := object.get(options(container), "awslogs-region", input.region) if driver(container) == "awslogs"

aws_region(container) := object.get(options(container), "region", input.region) if {
	driver(container) == "awsfirelens"
	lower(object.get(options(container), "Name", "")) in aws_firelens_outputs
}

# The destination kind of a driver that leaves the host for somewhere we cannot place.
third_party(container) := sprintf("awsfirelens output %s", [name]) if {
	driver(container) == "awsfirelens"
	name := lower(object.get(options(container), "Name", "(unnamed)"))
	not name in aws_firelens_outputs
} else := "syslog server" if {
	driver(container) == "syslog"
	address := option(container, "syslog-address")
	not startswith(address, "unix://")
	not startswith(address, "unixgram://")
} else := "fluentd server" if {
	driver(container) == "fluentd"
	address := option(container, "fluentd-address")
	not local_address(address)
} else := driver(container) if {
	not driver(container) in {"awslogs", "awsfirelens", "syslog", "fluentd"}
	not driver(container) in host_drivers
}

local_address(address) if regex.match(`^(?:(?:tcp|udp)://)?(?:localhost|127\.0\.0\.1|\[::1\])(?::[0-9]+)?$`, address)

local_address(address) if startswith(address, "unix://")
