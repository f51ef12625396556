package posture.rules.img_009_test

import data.posture.rules.img_009
import rego.v1

trusted := {"image": {"trustedRegistries": ["myacr.azurecr.io", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/base"]}}

image_at(registry, repository, base) := {
	"id": "oci://x",
	"kind": "image",
	"image": {
		"reference": {"registry": registry, "repository": repository, "tag": "1", "digest": null},
		"config": {"labels": {}},
	},
	"raw": {"manifest": {"annotations": {"org.opencontainers.image.base.name": base}}},
}

test_trusted_image_and_base_pass if {
	count(img_009.violation) == 0 with input as image_at("myacr.azurecr.io", "shop/api", "myacr.azurecr.io/base/debian:12")
		with data.config as trusted
}

test_repository_prefix_entries_match_on_path_boundaries if {
	count(img_009.violation) == 0 with input as image_at("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "base/python", "myacr.azurecr.io/base/debian:12")
		with data.config as trusted
	some v in img_009.violation with input as image_at("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "baseline/app", "myacr.azurecr.io/base/debian:12")
		with data.config as trusted
	v.path == "reference/registry"
}

test_docker_hub_base_fails if {
	violations := img_009.violation with input as image_at("myacr.azurecr.io", "shop/api", "alpine:3.20")
		with data.config as trusted
	count(violations) == 1
	some v in violations
	v.evidence.registry == "docker.io"
}

test_untrusted_image_registry_fails if {
	some v in img_009.violation with input as image_at("ghcr.io", "someone/tool", "myacr.azurecr.io/base/debian:12")
		with data.config as trusted
	v.evidence.registry == "ghcr.io"
}

test_undeclared_base_fails if {
	input_doc := json.patch(image_at("myacr.azurecr.io", "shop/api", ""), [{"op": "replace", "path": "/raw", "value": {"manifest": {}}}])
	some v in img_009.violation with input as input_doc with data.config as trusted
	v.evidence.missing == "org.opencontainers.image.base.name"
}

test_nothing_is_judged_without_an_allow_list if {
	count(img_009.violation) == 0 with input as image_at("ghcr.io", "someone/tool", "alpine")
		with data.config as {"image": {"trustedRegistries": []}}
}

test_glob_entries_match_host_labels if {
	config := {"image": {"trustedRegistries": ["*.dkr.ecr.*.amazonaws.com"]}}
	count(img_009.violation) == 0 with input as image_at("123456789012.dkr.ecr.eu-west-1.amazonaws.com", "web", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/base/debian:12")
		with data.config as config
	count(img_009.violation) == 2 with input as image_at("123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example", "web", "docker.io/library/debian:12")
		with data.config as config
}
