package posture.rules.img_015_test

import data.posture.rules.img_015
import rego.v1

image_with(managers) := {"id": "oci://x", "kind": "image", "image": {"contents": {"packageManagers": managers}}}

test_distroless_image_passes if {
	count(img_015.violation) == 0 with input as image_with([])
}

test_each_package_manager_fails if {
	violations := img_015.violation with input as image_with(["/usr/bin/apt-get", "/usr/bin/dpkg"])
	{v.path | some v in violations} == {"contents/packageManagers/usr/bin/apt-get", "contents/packageManagers/usr/bin/dpkg"}
}

test_unanalyzed_layers_are_not_judged if {
	count(img_015.violation) == 0 with input as {"id": "oci://x", "kind": "image", "image": {"contents": null}}
}
