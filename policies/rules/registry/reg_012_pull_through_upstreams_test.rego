package posture.rules.reg_012_test

import data.posture.rules.ecr_registry_fixtures_test as fx
import data.posture.rules.reg_012
import rego.v1

rule(prefix, upstream, upstream_prefix) := {"prefix": prefix, "upstream": upstream, "upstreamPrefix": upstream_prefix, "credentialArn": null}

with_rules(rules) := fx.asset({"pullThroughCache": rules})

test_trusted_upstream_passes if {
	count(reg_012.violation) == 0 with input as fx.good with data.config as fx.config
}

test_untrusted_upstream_fails if {
	some v in reg_012.violation with input as with_rules([rule("docker-hub", "docker.io", null)]) with data.config as fx.config
	v.path == "pullThroughCache/docker-hub"
	v.evidence.upstream == "docker.io"
}

test_upstream_prefix_is_matched_against_path_entries if {
	count(reg_012.violation) == 0 with input as with_rules([rule("ecr-public", "public.ecr.aws", "docker/library")]) with data.config as fx.config
	count(reg_012.violation) == 1 with input as with_rules([rule("ecr-public", "public.ecr.aws", null)]) with data.config as fx.config
}

test_no_allow_list_is_not_judged if {
	count(reg_012.violation) == 0 with input as with_rules([rule("docker-hub", "docker.io", null)]) with data.config as {}
}

test_unlisted_rules_are_not_judged if {
	count(reg_012.violation) == 0 with input as fx.asset({"pullThroughCache": null}) with data.config as fx.config
}
