package posture.rules.img_001_test

import data.posture.rules.img_001
import rego.v1

image_with(user, users) := {
	"id": "oci://r.example/app@sha256:1",
	"kind": "image",
	"image": {
		"platform": {"os": "linux", "architecture": "amd64", "variant": null},
		"config": {"user": user},
		"contents": {"users": users},
	},
}

test_numeric_non_root_user_passes if {
	count(img_001.violation) == 0 with input as image_with("10001:10001", [])
}

test_named_non_root_user_passes if {
	count(img_001.violation) == 0 with input as image_with("app", [{"name": "app", "uid": 1000, "gid": 1000, "shell": "/sbin/nologin"}])
}

test_empty_user_is_the_root_default if {
	some v in img_001.violation with input as image_with("", [])
	v.path == "config/user"
}

test_root_name_fails if {
	count(img_001.violation) == 1 with input as image_with("root", [])
}

test_uid_zero_with_a_group_fails if {
	count(img_001.violation) == 1 with input as image_with("0:1000", [])
}

test_alias_resolving_to_uid_zero_fails if {
	some v in img_001.violation with input as image_with("toor", [{"name": "toor", "uid": 0, "gid": 0, "shell": "/bin/sh"}])
	contains(v.msg, "resolves to UID 0")
}

test_unanalyzed_layers_judge_only_the_literal if {
	count(img_001.violation) == 0 with input as json.patch(image_with("app", []), [{"op": "replace", "path": "/image/contents", "value": null}])
}

test_windows_container_administrator_fails if {
	count(img_001.violation) == 1 with input as json.patch(image_with("ContainerAdministrator", []), [{"op": "replace", "path": "/image/platform/os", "value": "windows"}])
}

test_other_asset_kinds_are_ignored if {
	count(img_001.violation) == 0 with input as {"id": "x", "kind": "registry"}
}
