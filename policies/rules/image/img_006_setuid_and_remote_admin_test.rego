package posture.rules.img_006_test

import data.posture.rules.img_006
import rego.v1

# 0o4755 = 2541, 0o2755 = 1517, 0o755 = 493
image_with(files, ports, packages) := {
	"id": "oci://r.example/app@sha256:1",
	"kind": "image",
	"image": {
		"config": {"exposedPorts": ports},
		"contents": {"setuidFiles": files, "packages": packages},
	},
}

test_allow_listed_setuid_and_web_port_pass if {
	count(img_006.violation) == 0 with input as image_with([{"path": "/usr/bin/passwd", "mode": 2541}], ["8080/tcp"], [{"name": "curl", "version": "8.5", "manager": "dpkg"}])
}

test_setuid_outside_allow_list_fails if {
	some v in img_006.violation with input as image_with([{"path": "/usr/bin/newgrp", "mode": 2541}], [], [])
	v.path == "contents/setuidFiles/usr/bin/newgrp"
	v.evidence.mode == "4755"
	v.evidence.bits == ["setuid"]
}

test_setgid_fails if {
	some v in img_006.violation with input as image_with([{"path": "/usr/bin/wall", "mode": 1517}], [], [])
	v.evidence.bits == ["setgid"]
}

test_allow_list_comes_from_config if {
	count(img_006.violation) == 1 with input as image_with([{"path": "/usr/bin/passwd", "mode": 2541}], [], [])
		with data.config as {"image": {"setuidAllowList": []}}
}

test_ssh_port_fails if {
	some v in img_006.violation with input as image_with([], ["22/tcp", "80/tcp"], [])
	v.path == "config/exposedPorts/22/tcp"
}

test_sshd_package_fails if {
	count(img_006.violation) == 1 with input as image_with([], [], [{"name": "openssh-server", "version": "1:9.6p1", "manager": "dpkg"}])
}

test_unanalyzed_layers_check_only_ports if {
	count(img_006.violation) == 0 with input as json.patch(image_with([], ["443/tcp"], []), [{"op": "replace", "path": "/image/contents", "value": null}])
}
