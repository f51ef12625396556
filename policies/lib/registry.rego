# Registry helpers shared by the REG-* rules: which service an asset is, and readers for the
# service-specific raw documents — the ECR repository policy (`raw.policyText`, IAM JSON) and the
# Artifact Registry IAM policy (`raw.iamPolicy`). ACR settings are read from the normalized
# `registry.acr` (the normalizer reads the ARM resource in either form). A raw key that is absent was
# not collected; rules then fall back to the normalized field.
package posture.lib.registry

import rego.v1

is_registry if input.kind == "registry"

service := input.registry.service

is_ecr if {
	is_registry
	service == "ecr"
}

is_acr if {
	is_registry
	service == "acr"
}

# The private ECR registry of an account and region (its settings, not a repository).
is_ecr_registry if {
	is_registry
	service == "ecr-registry"
}

is_artifact_registry if {
	is_registry
	service == "artifact-registry"
}

# A raw key that is present, even when null.
has_raw(key) if _ = input.raw[key]

# ---- ECR repository policy

# The ECR policy was collected (null = collected, the repository has none).
ecr_policy_collected if {
	is_ecr
	has_raw("policyText")
}

ecr_policy := doc if {
	text := input.raw.policyText
	is_string(text)
	json.is_valid(text)
	doc := json.unmarshal(text)
	is_object(doc)
}

# Statements with a stable name for finding paths: the Sid, else the position.
ecr_statements := [{"id": statement_id(s, i), "statement": s} |
	some i, s in as_array(object.get(ecr_policy, "Statement", []))
	is_object(s)
]

statement_id(s, i) := s.Sid if {
	is_string(s.Sid)
	s.Sid != ""
} else := sprintf("%d", [i])

as_array(x) := x if is_array(x)

else := [x]

allows(s) if s.Effect == "Allow"

# AWS principals a statement names; "*" for everyone.
aws_principals(s) := {"*"} if s.Principal == "*"

else := {p | some p in as_array(s.Principal.AWS); is_string(p)} if is_object(s.Principal)

else := set()

# Condition keys, lower-cased, under any operator.
condition_keys(s) := {lower(key) |
	some _, block in object.get(s, "Condition", {})
	is_object(block)
	some key, _ in block
}

# Condition values for one key (lower-cased name), under any operator.
condition_values(s, name) := {v |
	some _, block in object.get(s, "Condition", {})
	is_object(block)
	some key, values in block
	lower(key) == name
	some v in as_array(values)
}

narrowing_keys := {"aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:sourceaccount", "aws:sourceorgid"}

# An account or organization condition narrows a wildcard principal.
narrowed(s) if count(condition_keys(s) & narrowing_keys) > 0

# Narrowed to this asset's own account only.
own_account_only(s) if {
	values := condition_values(s, "aws:principalaccount") | condition_values(s, "aws:sourceaccount")
	count(values) > 0
	every v in values {
		v == input.account
	}
}

# The account of an AWS principal: a 12-digit id or an IAM ARN.
principal_account(p) := p if regex.match(`^[0-9]{12}$`, p)

principal_account(p) := split(p, ":")[4] if startswith(p, "arn:")

# Actions that change what the repository holds or who may change it.
ecr_write_actions := [
	"ecr:putimage",
	"ecr:initiatelayerupload",
	"ecr:uploadlayerpart",
	"ecr:completelayerupload",
	"ecr:batchdeleteimage",
	"ecr:deleterepository",
	"ecr:setrepositorypolicy",
	"ecr:deleterepositorypolicy",
]

# IAM action patterns (`ecr:*`, `ecr:Put*`, `*`) that cover a write action. A pattern with
# characters IAM does not use in actions is ignored rather than handed to the regex engine.
write_actions(s) := sort({lower(a) |
	some a in as_array(object.get(s, "Action", []))
	is_string(a)
	pattern := lower(a)
	regex.match(`^[a-z0-9:*?-]+$`, pattern)
	some w in ecr_write_actions
	regex.match(concat("", ["^", replace(replace(pattern, "*", ".*"), "?", "."), "$"]), w)
})

# ---- Artifact Registry IAM policy

ar_iam_collected if {
	is_artifact_registry
	has_raw("iamPolicy")
}

ar_bindings := [b |
	some b in object.get(object.get(input.raw, "iamPolicy", {}), "bindings", [])
	is_object(b)
]

public_members := {"allUsers", "allAuthenticatedUsers"}

# ---- ACR settings (normalized)

acr_settings := settings if {
	is_acr
	settings := input.registry.acr
	is_object(settings)
}

# A setting as the registry sets it, or the API default when it does not; undefined for other services.
acr(key, default_value) := value if {
	value := acr_settings[key]
	value != null
} else := default_value if {
	acr_settings
}
