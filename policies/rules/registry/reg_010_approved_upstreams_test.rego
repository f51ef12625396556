package posture.rules.reg_010_test

import data.posture.rules.reg_010
import data.posture.rules.registry_fixtures_test as fx
import rego.v1

remote(config) := fx.ar({}, {"repository": object.union(fx.ar_repository, {"mode": "REMOTE_REPOSITORY", "remoteRepositoryConfig": config})})

test_trusted_custom_upstream_passes if {
	count(reg_010.violation) == 0 with input as remote({"dockerRepository": {"customRepository": {"uri": "https://mirror.gcr.io"}}})
		with data.config as fx.config
}

test_docker_hub_upstream_fails if {
	some v in reg_010.violation with input as remote({"dockerRepository": {"publicRepository": "DOCKER_HUB"}})
		with data.config as fx.config
	v.evidence.upstream.registry == "docker.io"
}

test_untrusted_common_repository_fails if {
	some v in reg_010.violation with input as remote({"commonRepository": {"uri": "https://ghcr.io/someone"}})
		with data.config as fx.config
	v.evidence.upstream == {"registry": "ghcr.io", "repository": "someone"}
}

test_standard_repositories_are_not_judged if {
	count(reg_010.violation) == 0 with input as fx.ar({}, {}) with data.config as fx.config
}

test_nothing_is_judged_without_an_allow_list if {
	count(reg_010.violation) == 0 with input as remote({"dockerRepository": {"publicRepository": "DOCKER_HUB"}})
		with data.config as {"image": {"trustedRegistries": []}}
}
