package posture.rules.wkl_016_test

import data.posture.rules.ecs_workload_fixtures_test as fx
import data.posture.rules.k8s_fixtures_test as k8s
import data.posture.rules.wkl_016
import rego.v1

paths(image) := result if {
	result := {v.path | some v in wkl_016.violation} with input as fx.container({"image": image})
		with data.config as fx.config
}

pinned(name) := concat("@", [name, fx.digest])

test_pinned_ecr_image_passes if {
	count(wkl_016.violation) == 0 with input as fx.good with data.config as fx.config
}

test_prefix_entry_trusts_its_repositories_only if {
	paths(pinned("ghcr.io/acme/api")) == set()
	paths(pinned("ghcr.io/acme-evil/api")) == {"containers/web/image/registry"}
}

test_untrusted_and_unpinned_fails_twice if {
	paths("nginx:1.27") == {"containers/web/image/registry", "containers/web/image/digest"}
}

test_docker_hub_short_name_is_docker_io if {
	some v in wkl_016.violation with input as fx.container({"image": pinned("nginx")}) with data.config as fx.config
	v.evidence.registry == "docker.io"
}

test_registry_with_port_is_a_host if {
	some v in wkl_016.violation with input as fx.container({"image": pinned("registry.local:5000/shop/web")})
		with data.config as fx.config
	v.evidence.registry == "registry.local:5000"
}

test_tag_only_ecr_image_fails_digest if {
	paths(concat("", [fx.ecr, "/shop/web:1.4.2"])) == {"containers/web/image/digest"}
}

test_empty_allow_list_checks_digest_only if {
	count(wkl_016.violation) == 0 with input as fx.container({"image": pinned("docker.io/library/nginx")})
		with data.config as {"image": {"trustedRegistries": []}}
}

test_kubernetes_images_are_judged_the_same_way if {
	count(wkl_016.violation) == 0 with input as k8s.workloads.hardened with data.config as fx.config
	paths := {v.path | some v in wkl_016.violation} with input as k8s.workloads["untrusted-image"] with data.config as fx.config
	paths == {"containers/app/image/registry", "containers/app/image/digest"}
}
