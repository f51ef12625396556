package posture.rules.wkl_006_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_006
import rego.v1

with_env(name, value) := fx.container({"env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": name, "value": value}]})

reason(name, value) := v.evidence.matched if {
	some v in wkl_006.violation with input as with_env(name, value)
}

test_plain_settings_and_secret_references_pass if {
	count(wkl_006.violation) == 0 with input as fx.good
	count(wkl_006.violation) == 0 with input as with_env("DB_PASSWORD_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:x")
	count(wkl_006.violation) == 0 with input as with_env("API_TOKEN", "arn:aws:ssm:eu-west-1:123456789012:parameter/api")
	count(wkl_006.violation) == 0 with input as with_env("USE_TOKEN", "true")
	count(wkl_006.violation) == 0 with input as with_env("DATABASE_URL", "postgres://db.internal:5432/shop")
}

test_forbidden_names_fail_whatever_the_value if {
	reason("AWS_SECRET_ACCESS_KEY", "x") == "forbidden-name"
	reason("ECS_ENGINE_AUTH_DATA", "") == "forbidden-name"
	reason("aws_access_key_id", "placeholder") == "forbidden-name"
}

test_credential_values_fail_under_any_name if {
	reason("UPSTREAM", "AKIAIOSFODNN7EXAMPLE") == "aws-access-key-id"
	reason("TLS_KEY", "-----BEGIN RSA PRIVATE KEY-----\nMIIB") == "private-key"
	reason("DATABASE_URL", "postgres://shop:hunter2hunter2@db.internal/shop") == "url-with-password"
	reason("CI", "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB") == "github-token"
}

test_secret_name_with_literal_value_fails if {
	reason("DB_PASSWORD", "correct-horse-battery") == "secret-name-with-literal-value"
}

test_evidence_never_holds_the_value if {
	some v in wkl_006.violation with input as with_env("DATABASE_URL", "postgres://shop:hunter2hunter2@db/shop")
	v.path == "containers/web/env/DATABASE_URL"
	not contains(json.marshal(v), "hunter2")
}

test_kubernetes_literal_credentials_fail_and_references_pass if {
	count(wkl_006.violation) == 0 with input as k8s.workloads.hardened
	count(wkl_006.violation) == 0 with input as k8s.workloads["secret-env"]
	reasons := {v.evidence.variable: v.evidence.matched | some v in wkl_006.violation} with input as k8s.workloads["env-credentials"]
	reasons == {"AWS_SECRET_ACCESS_KEY": "forbidden-name", "DATABASE_URL": "url-with-password"}
	not contains(json.marshal(wkl_006.violation), "hunter2") with input as k8s.workloads["env-credentials"]
}

# The literal and suffix pre-checks only skip regexes that cannot match: case folding as RE2's (?i) does it
# (the Kelvin sign folds to k, the long s to s), and every alternative of the name pattern.
test_name_pattern_matches_as_re2_folds_case if {
	reason("api_\u212aey", "correct-horse-battery") == "secret-name-with-literal-value"
	reason("DB_PA\u017fSWORD", "correct-horse-battery") == "secret-name-with-literal-value"
	reason("Private_Key", "correct-horse-battery") == "secret-name-with-literal-value"
	reason("GCP_CREDENTIALS", "correct-horse-battery") == "secret-name-with-literal-value"
	reason("SIGNING_PASSPHRASE", "correct-horse-battery") == "secret-name-with-literal-value"
	count(wkl_006.violation) == 0 with input as with_env("KEYRING_PATH", "correct-horse-battery")
}

test_every_value_pattern_still_found if {
	reason("X", "token xoxb-0123456789-abcdef") == "slack-token"
	reason("X", "sk_live_0123456789abcdefghijABCD") == "stripe-live-key"
	reason("X", "AIzaSyA0123456789abcdefghijklmnopqrstuv") == "google-api-key"
	reason("X", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U") == "jwt"
	reason("X", "github_pat_11ABCDEFG0123456789abcdef") == "github-token"
}
