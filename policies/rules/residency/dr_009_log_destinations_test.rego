package posture.rules.dr_009_test

import data.posture.rules.dr_009
import rego.v1

config := {"residency": {
	"tagKeys": ["data-classification"],
	"defaultClass": "restricted",
	"allowed": {"public": ["*"], "personal": ["EEA", "ADEQUATE"], "restricted": ["EU"]},
}}

task(tags, logging) := {
	"id": "aws://111111111111/eu-west-1/ecs/task-definition/web:3",
	"kind": "workload",
	"provider": "aws",
	"region": "eu-west-1",
	"tags": tags,
	"workload": {"containers": [{"name": "web", "image": "web", "logging": logging}]},
}

paths(asset) := {v.path | some v in dr_009.violation with input as asset with data.config as config}

awslogs(region) := {"driver": "awslogs", "options": {"awslogs-group": "/ecs/web", "awslogs-region": region}}

test_awslogs_in_eu_passes if {
	paths(task({}, awslogs("eu-west-1"))) == set()
}

test_awslogs_in_us_fails if {
	some v in dr_009.violation with input as task({}, awslogs("us-east-1")) with data.config as config
	v.path == "containers/web/logging"
	v.evidence.jurisdiction == "US"
}

test_awslogs_without_region_uses_the_workload_region if {
	paths(task({}, {"driver": "awslogs", "options": {"awslogs-group": "/ecs/web"}})) == set()
}

test_splunk_is_third_party_and_fails_closed if {
	some v in dr_009.violation with input as task({"data-classification": "personal"}, {"driver": "splunk", "options": {"splunk-url": "https://splunk.example.com:8088"}})
		with data.config as config
	v.evidence.destination == "splunk"
	not contains(json.marshal(v), "splunk.example.com")
}

test_firelens_cloudwatch_output_is_judged_by_region if {
	paths(task({}, {"driver": "awsfirelens", "options": {"Name": "cloudwatch_logs", "region": "eu-central-1"}})) == set()
	paths(task({}, {"driver": "awsfirelens", "options": {"Name": "cloudwatch_logs", "region": "ap-south-1"}})) == {"containers/web/logging"}
}

test_firelens_datadog_output_is_third_party if {
	some v in dr_009.violation with input as task({}, {"driver": "awsfirelens", "options": {"Name": "datadog"}}) with data.config as config
	v.evidence.destination == "awsfirelens output datadog"
}

test_host_local_drivers_pass if {
	paths(task({}, {"driver": "json-file", "options": {}})) == set()
	paths(task({}, {"driver": "syslog", "options": {}})) == set()
	paths(task({}, {"driver": "fluentd", "options": {"fluentd-address": "localhost:24224"}})) == set()
}

test_remote_syslog_fails if {
	paths(task({}, {"driver": "syslog", "options": {"syslog-address": "tcp://logs.example.net:514"}})) == {"containers/web/logging"}
}

test_public_workload_may_log_anywhere if {
	paths(task({"data-classification": "public"}, {"driver": "splunk", "options": {}})) == set()
}

test_no_logging_configured_nothing_to_judge if {
	paths(task({}, null)) == set()
}
