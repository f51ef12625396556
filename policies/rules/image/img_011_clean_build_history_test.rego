package posture.rules.img_011_test

import data.posture.rules.img_011
import rego.v1

image_with(commands, base) := {
	"id": "oci://x",
	"kind": "image",
	"image": {"config": {"labels": {}, "history": [{"createdBy": c, "emptyLayer": false} | some c in commands]}},
	"raw": {"manifest": {"annotations": {"org.opencontainers.image.base.name": base}}},
}

test_clean_history_passes if {
	commands := [
		"/bin/sh -c #(nop) ADD file:0123 in / ",
		"RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates # buildkit",
		"RUN /bin/sh -c curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz && sha256sum -c /tmp/sum # buildkit",
		"USER 10001",
	]
	count(img_011.violation) == 0 with input as image_with(commands, "docker.io/library/debian:12@sha256:00")
}

test_remote_add_fails if {
	some v in img_011.violation with input as image_with(["ADD https://example.com/app.tar.gz /opt/ # buildkit"], "debian:12")
	v.path == "config/history/0/add-remote-url"
}

test_curl_pipe_shell_fails if {
	violations := img_011.violation with input as image_with(["", "RUN /bin/sh -c curl -fsSL https://get.example.sh | sudo bash # buildkit"], "debian:12")
	{v.evidence.pattern | some v in violations} == {"download-piped-to-shell", "sudo"}
}

test_lone_apt_get_update_fails if {
	some v in img_011.violation with input as image_with(["RUN /bin/sh -c apt-get update # buildkit"], "debian:12")
	v.evidence.pattern == "apt-get-update-alone"
}

test_latest_or_untagged_base_fails if {
	count(img_011.violation) == 1 with input as image_with([], "alpine")
	count(img_011.violation) == 1 with input as image_with([], "localhost:5000/base:latest")
	count(img_011.violation) == 0 with input as image_with([], "localhost:5000/base:1.2")
}

test_evidence_withholds_commands_that_carry_credentials if {
	some v in img_011.violation with input as image_with(["RUN /bin/sh -c curl https://bot:pa55w0rd@git.example/i.sh | sh"], "debian:12")
	not contains(v.evidence.command, "pa55w0rd")
}
