package posture.rules.aks_002_test

import data.posture.rules.aks_002
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

public(ranges) := {"apiServerAccessProfile": {"enablePrivateCluster": false, "authorizedIPRanges": ranges}}

test_public_cluster_with_office_range_passes if {
	count(aks_002.violation) == 0 with input as fx.rest(public(["203.0.113.0/24"]))
}

test_private_cluster_needs_no_ranges if {
	count(aks_002.violation) == 0 with input as fx.rest({})
}

test_public_cluster_without_ranges_fails if {
	some v in aks_002.violation with input as fx.rest(public([]))
	contains(v.msg, "no authorized IP ranges")
}

test_absent_ranges_and_flag_are_api_default_open if {
	count(aks_002.violation) == 1 with input as fx.rest({"apiServerAccessProfile": null})
}

test_any_address_range_fails if {
	some v in aks_002.violation with input as fx.rest(public(["203.0.113.0/24", "0.0.0.0/0"]))
	contains(v.msg, "0.0.0.0/0")
}

test_az_cli_spelling_is_read if {
	# `az aks show` spells the field authorizedIpRanges.
	az := fx.sdk({"apiServerAccessProfile": {"enablePrivateCluster": false, "authorizedIpRanges": ["0.0.0.0/0"]}})
	count(aks_002.violation) == 1 with input as az
}
