# METADATA
# title: No credentials in plain container environment variables
# description: >-
#   Plain environment values (ECS `environment`, Kubernetes `env[].value`) are stored in the task
#   definition or the pod spec and readable by anyone who may read those. A variable fails when its name
#   is AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or ECS_ENGINE_AUTH_DATA, when its value looks like a
#   credential (AWS access key id, private key block, GitHub/Slack/Stripe/Google token, JWT, URL with a
#   password), or when a password/secret/token/API-key name carries a literal value. References to a
#   secret store (ECS `secrets`, Kubernetes `valueFrom.secretKeyRef`) are not plain values. Evidence names
#   the variable and the pattern, never the value.
# custom:
#   id: WKL-006
#   aliases: [ECS-006]
#   severity: critical
#   kind: [workload]
#   requires: [workload.containers.env]
#   frameworks:
#     nsa-cisa-k8s-1.2: ["network/secrets"]
#     cis-docker-1.6: ["4.10"]
#     aws-fsbp: ["ECS.8"]
#     nist-800-53-r5: ["CA-9(1)", "CM-2"]
#     pci-dss-4.0: ["3.5.1", "8.2.2", "8.3.2"]
#     disa-k8s-stig: ["V-242415"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.1.4"]
#   unverified: [cis-docker-1.6, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Rotate the exposed credential and keep it in a secret store: Secrets Manager or SSM Parameter Store
#     referenced from the ECS container definition's `secrets[].valueFrom`, or a Kubernetes Secret mounted
#     as a file. For AWS APIs use the task role or IRSA / EKS Pod Identity instead of keys.
package posture.rules.wkl_006

import data.posture.lib.workload
import rego.v1

# The AWS Config rule's default names: their presence alone is the problem.
forbidden_names := {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"}

# Value shapes that are credentials whatever the variable is called (RE2 syntax), each with the literal
# text every match contains. OPA's Wasm runtime compiles a regex anew in every evaluation (its cache does not
# outlive one), so a pattern is tried only on values that hold one of its literals: same verdicts, and an
# ordinary workload costs no regex compilation here (scripts/bench/engine.ts).
value_patterns := [
	{"rule": "aws-access-key-id", "re": `\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b`, "literals": ["AKIA", "ASIA", "ABIA", "ACCA"]},
	{"rule": "private-key", "re": `-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----`, "literals": ["PRIVATE KEY"]},
	{"rule": "github-token", "re": `\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})`, "literals": ["gh", "github_pat_"]},
	{"rule": "slack-token", "re": `\bxox[abprs]-[A-Za-z0-9-]{10,}`, "literals": ["xox"]},
	{"rule": "stripe-live-key", "re": `\b[rs]k_live_[A-Za-z0-9]{20,}`, "literals": ["k_live_"]},
	{"rule": "google-api-key", "re": `\bAIza[0-9A-Za-z_-]{35}`, "literals": ["AIza"]},
	{"rule": "jwt", "re": `\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`, "literals": ["eyJ"]},
	{"rule": "url-with-password", "re": `[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`, "literals": ["://"]},
]

# Names that promise a secret; their literal value is flagged unless it is a reference.
secret_name := `(?i)(PASSWORD|PASSWD|PASSPHRASE|SECRET|SECRET_KEY|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$`

violation contains {
	"msg": sprintf("container %s in %s puts a secret in plain environment variable %s (%s)", [c.name, workload.label, e.name, reason]),
	"path": sprintf("containers/%s/env/%s", [c.name, e.name]),
	"evidence": {"variable": e.name, "matched": reason},
} if {
	workload.is_workload
	some c in workload.containers
	some e in object.get(c, "env", [])
	reason := finding(e.name, object.get(e, "value", ""))
}

finding(name, value) := "forbidden-name" if {
	upper(name) in forbidden_names
} else := rule if {
	some p in value_patterns
	holds_literal(value, p.literals)
	regex.match(p.re, value)
	rule := p.rule
} else := "secret-name-with-literal-value" if {
	secret_suffix(name)
	regex.match(secret_name, name)
	literal(value)
}

# Every name secret_name matches ends in one of these, compared after the same case folding as (?i)
# (lower then upper maps the Kelvin sign to K and the long s to S).
secret_suffix(name) if {
	folded := upper(lower(name))
	some suffix in ["PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "CREDENTIALS"]
	endswith(folded, suffix)
}

# At least 8 characters and not a pointer to where the secret really lives.
literal(value) if {
	v := trim_space(value)
	count(v) >= 8
	not startswith(v, "arn:")
	not startswith(v, "ssm:")
	not startswith(v, "/")
}

holds_literal(value, literals) if {
	some literal in literals
	contains(value, literal)
}
