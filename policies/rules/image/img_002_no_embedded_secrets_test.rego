package posture.rules.img_002_test

import data.posture.rules.img_002
import rego.v1

# Built from pieces so no credential-shaped literal sits in the repository.
aws_key := concat("", ["AKIA", "Z7QX4N2M8B5K1P3R"])

private_key_header := concat("", ["-----BEGIN ", "RSA PRIVATE KEY-----"])

image_with(env, labels, history, secrets) := {
	"id": "oci://r.example/app@sha256:1",
	"kind": "image",
	"image": {
		"config": {"env": env, "labels": labels, "history": history},
		"contents": {"secrets": secrets},
	},
}

clean := image_with(
	[
		{"name": "PATH", "value": "/usr/local/bin:/usr/bin"},
		{"name": "GPG_KEY", "value": "A035C8C19219BA821ECEA86B64E628F8D684696D"},
		{"name": "DB_PASSWORD_FILE", "value": "/run/secrets/db"},
		{"name": "APP_TOKEN", "value": ""},
	],
	{"org.opencontainers.image.source": "https://github.com/example/app"},
	[{"createdBy": "|1 VERSION=1.2.3 /bin/sh -c make install", "emptyLayer": false}],
	[],
)

test_clean_image_passes if {
	count(img_002.violation) == 0 with input as clean
}

test_secret_named_env_fails_without_revealing_the_value if {
	some v in img_002.violation with input as image_with([{"name": "DB_PASSWORD", "value": "hunter2-but-longer-than-20"}], {}, [], [])
	v.path == "config/env/DB_PASSWORD"
	v.evidence.rules == ["secret-name"]
	v.evidence.hint == "hunt…(26 chars)"
	not contains(json.marshal(v), "hunter2-but")
}

test_short_values_show_only_their_length if {
	some v in img_002.violation with input as image_with([{"name": "API_KEY", "value": "s3cr3t"}], {}, [], [])
	v.evidence.hint == "…(6 chars)"
}

test_aws_key_value_fails_under_any_name if {
	some v in img_002.violation with input as image_with([{"name": "AWS_ACCESS_KEY_ID", "value": aws_key}], {}, [], [])
	v.evidence.rules == ["aws-access-key-id", "secret-name"]
	not contains(json.marshal(v), aws_key)
}

test_private_key_in_label_fails if {
	some v in img_002.violation with input as image_with([], {"deploy.key": concat("\n", [private_key_header, "MIIE"])}, [], [])
	v.path == "config/labels/deploy.key"
	v.evidence.rules == ["private-key"]
}

test_build_argument_token_in_history_fails if {
	some v in img_002.violation with input as image_with([], {}, [{"createdBy": "|2 NPM_TOKEN=abcdef0123456789 VERSION=1 /bin/sh -c npm ci", "emptyLayer": false}], [])
	v.path == "config/history/0"
	v.evidence.names == ["NPM_TOKEN"]
	not contains(json.marshal(v), "abcdef0123456789")
}

test_credentials_in_url_in_history_fail if {
	some v in img_002.violation with input as image_with([], {}, [{"createdBy": "/bin/sh -c git clone https://bot:pa55w0rd@git.example/app.git", "emptyLayer": false}], [])
	v.evidence.rules == ["credentials-in-url"]
}

test_secret_files_from_layers_fail_one_per_file if {
	found := [
		{"path": "/root/.aws/credentials", "rule": "aws-secret-access-key", "hint": "wJal…(40 chars)"},
		{"path": "/app/id_rsa", "rule": "private-key", "hint": "-----BEGIN RSA PRIVATE KEY-----"},
	]
	violations := img_002.violation with input as image_with([], {}, [], found)
	count(violations) == 2
	some v in violations
	v.path == "contents/root/.aws/credentials/aws-secret-access-key"
	v.evidence.inFinalFilesystem == true
}

test_copies_in_several_layers_are_one_finding_and_deleted_ones_still_count if {
	found := [
		{"path": "/app/.npmrc", "rule": "npm-token", "hint": "npm_…(40 chars)", "layer": 1, "inFinalFilesystem": false},
		{"path": "/app/.npmrc", "rule": "npm-token", "hint": "npm_…(40 chars)", "layer": 3, "inFinalFilesystem": false},
	]
	violations := img_002.violation with input as image_with([], {}, [], found)
	count(violations) == 1
	some v in violations
	v.evidence.layers == [1, 3]
	v.evidence.inFinalFilesystem == false
	contains(v.msg, "deleted by a later layer")
}

test_unanalyzed_layers_still_check_the_config if {
	input_doc := json.patch(image_with([{"name": "GITHUB_TOKEN", "value": "x-not-empty"}], {}, [], []), [{"op": "replace", "path": "/image/contents", "value": null}])
	count(img_002.violation) == 1 with input as input_doc
}
