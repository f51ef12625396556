package posture.rules.wkl_043_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_043
import rego.v1

test_secret_files_pass if {
	count(wkl_043.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_043.violation) == 0 with input as k8s.workloads["secret-files"]
}

test_secret_env_fails if {
	some v in wkl_043.violation with input as k8s.workloads["secret-env"]
	v.evidence == ["secret:apps/db#password"]
	v.msg == "container app in Pod apps/secret-env receives secrets as environment variables DB_PASSWORD"
}

test_ecs_secrets_are_not_judged if {
	count(wkl_043.violation) == 0 with input as fx.good
}
