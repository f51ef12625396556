# Image helpers shared by the IMG-* rules: secret patterns for config strings, redaction,
# OCI annotations, image-name parsing and the trusted-registry decision.
package posture.lib.image

import rego.v1

is_image if input.kind == "image"

# data.config, or {} when a test or a caller did not set it, so defaults below still apply.
default config := {}

config := data.config

# Well-known credential formats (public prefixes and key headers), RE2 syntax so they behave the
# same in Go OPA and in the Wasm engine. Matched against config strings: env values, labels, history.
value_patterns := {
	"private-key": `-----BEGIN[ A-Z0-9]*PRIVATE KEY( BLOCK)?-----`,
	"aws-access-key-id": `\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b`,
	"aws-secret-access-key": `(?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}`,
	"github-token": `\b(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b`,
	"gitlab-token": `\bglpat-[A-Za-z0-9_-]{20}`,
	"slack-token": `\bxox[abposr]-[A-Za-z0-9-]{10,72}`,
	"google-api-key": `\bAIza[0-9A-Za-z_-]{35}`,
	"stripe-secret-key": `\b[sr]k_live_[0-9A-Za-z]{24,99}`,
	"npm-token": `\bnpm_[A-Za-z0-9]{36}\b`,
	"credentials-in-url": `[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@`,
	"jwt": `\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`,
}

# Variable names that hold a credential by convention. Anchored at the end so that
# DB_PASSWORD_FILE (a path to a mounted secret) and GPG_KEY (a public fingerprint) do not match.
secret_name_pattern := `(^|_)(PASSWORD|PASSWD|PASS|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|CLIENT_?SECRET|CREDENTIALS?|AUTH_DATA)$`

# The AWS Config rule defaults for ECS environment checks, matched exactly.
secret_names := {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ECS_ENGINE_AUTH_DATA"}

# Ids of the value patterns that match a string.
value_rules(text) := {id |
	some id, pattern in value_patterns
	regex.match(pattern, text)
}

# A non-empty value under a credential-like name. Values that only point elsewhere
# (a file path or a shell variable) hold nothing themselves.
secret_named(name, value) if {
	value != ""
	not reference_value(value)
	named_like_secret(upper(name))
}

named_like_secret(name) if name in secret_names

named_like_secret(name) if regex.match(secret_name_pattern, name)

reference_value(value) if startswith(value, "/")

reference_value(value) if startswith(value, "$")

# Everything that makes a name/value pair look like a credential.
pair_rules(name, value) := rules if {
	by_name := {"secret-name" | secret_named(name, value)}
	rules := by_name | value_rules(value)
}

# What a finding may show of a secret: a short prefix for long values, and the length.
redacted(value) := sprintf("%s…(%d chars)", [substring(value, 0, 4), count(value)]) if count(value) >= 20

redacted(value) := sprintf("…(%d chars)", [count(value)]) if count(value) < 20

# OCI annotations from the manifest (the config carries the same keys as labels in some builds).
annotations := object.get(input, ["raw", "manifest", "annotations"], {})

# An OCI annotation or, failing that, a config label of the same key.
annotation(key) := value if {
	value := annotations[key]
	is_string(value)
} else := value if {
	value := input.image.config.labels[key]
	is_string(value)
}

# Registry host of an image name: the first path segment when it looks like a host
# (has a dot or a port, or is localhost), otherwise Docker Hub.
name_registry(name) := host if {
	parts := split(name, "/")
	count(parts) > 1
	looks_like_host(parts[0])
	host := lower(parts[0])
}

name_registry(name) := "docker.io" if {
	parts := split(name, "/")
	not host_prefixed(parts)
}

host_prefixed(parts) if {
	count(parts) > 1
	looks_like_host(parts[0])
}

looks_like_host(segment) if contains(segment, ".")

looks_like_host(segment) if contains(segment, ":")

looks_like_host(segment) if segment == "localhost"

# Repository path of an image name without host, tag or digest: library/alpine for "alpine:3".
name_repository(name) := repo if {
	no_digest := split(name, "@")[0]
	parts := split(no_digest, "/")
	path_parts := array.slice(parts, host_offset(parts), count(parts))
	last := split(path_parts[count(path_parts) - 1], ":")[0]
	joined := concat("/", array.concat(array.slice(path_parts, 0, count(path_parts) - 1), [last]))
	repo := hub_library(name_registry(name), joined)
}

host_offset(parts) := 1 if host_prefixed(parts)

host_offset(parts) := 0 if not host_prefixed(parts)

# Docker Hub's official images live under library/.
hub_library(registry, repo) := concat("/", ["library", repo]) if {
	registry == "docker.io"
	not contains(repo, "/")
} else := repo

# The tag of an image name, or "" when it has none (then Docker defaults to latest).
name_tag(name) := tag if {
	no_digest := split(name, "@")[0]
	parts := split(no_digest, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	tag := split(last, ":")[1]
} else := ""

# Configured trusted registries. An entry is a host (myacr.azurecr.io), a glob over dot-separated
# host labels (*.dkr.ecr.*.amazonaws.com), or a host with a repository prefix
# (123456789012.dkr.ecr.eu-west-1.amazonaws.com/base) — the same reading as ECS-016's.
trusted_registries := object.get(config, ["image", "trustedRegistries"], [])

allow_list_configured if count(trusted_registries) > 0

trusted(registry, repository) if {
	some entry in trusted_registries
	entry_matches(lower(trim_right(trim_space(entry), "/")), lower(registry), concat("/", [lower(registry), lower(repository)]))
}

entry_matches(entry, host, _) if entry == host

entry_matches(entry, _, name) if startswith(name, concat("", [entry, "/"]))

entry_matches(entry, host, _) if {
	contains(entry, "*")
	glob.match(entry, ["."], host)
}

entry_matches(entry, _, name) if {
	contains(entry, "*")
	contains(entry, "/")
	glob.match(entry, ["/"], name)
}

# A reference that ends in @sha256:<64 lower-case hex digits>, with string builtins rather than a regex:
# OPA's Wasm runtime compiles every regex anew in each evaluation, which made digest checks the costliest
# step of judging a workload (scripts/bench/engine.ts).
pinned_by_digest(ref) if {
	n := count(ref)
	n >= 72
	substring(ref, n - 72, 8) == "@sha256:"
	trim(substring(ref, n - 64, 64), "0123456789abcdef") == ""
}
