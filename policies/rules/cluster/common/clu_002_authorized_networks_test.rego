package posture.rules.clu_002_test

import data.posture.rules.clu_002
import data.posture.rules.clu_fixtures_test as fx
import rego.v1

open_public := {"endpoint": {"public": true, "private": false, "allowedCidrs": ["0.0.0.0/0"]}}

gke_paths := ["masterAuthorizedNetworksConfig/enabled", "masterAuthorizedNetworksConfig/cidrBlocks"]

test_public_endpoint_open_to_all_fails_with_the_earlier_paths if {
	earlier := {"eks": null, "aks": "apiServerAccessProfile/authorizedIPRanges", "gke": gke_paths}
	every d in fx.distributions {
		some v in clu_002.violation with input as fx.cluster(d, open_public)
		v.path == "endpoint/allowedCidrs"
		v.aliasPath == earlier[d]
	}
}

test_a_slash_zero_among_ranges_fails if {
	count(clu_002.violation) == 1 with input as fx.cluster("eks", {"endpoint": {"public": true, "allowedCidrs": ["203.0.113.0/24", " ::/0"]}})
}

test_restricted_public_endpoint_passes if {
	count(clu_002.violation) == 0 with input as fx.cluster("aks", {"endpoint": {"public": true, "allowedCidrs": ["203.0.113.0/24"]}})
}

test_public_endpoint_admitting_nothing_passes if {
	count(clu_002.violation) == 0 with input as fx.cluster("gke", {"endpoint": {"public": true, "allowedCidrs": []}})
}

test_gke_private_endpoint_without_authorized_networks_fails if {
	some v in clu_002.violation with input as fx.cluster("gke", {"endpoint": {"privateAllowedCidrs": ["0.0.0.0/0"]}})
	v.path == "endpoint/privateAllowedCidrs"
	v.aliasPath == gke_paths
}

test_private_endpoints_without_a_range_filter_are_not_judged if {
	count(clu_002.violation) == 0 with input as fx.cluster("eks", {"endpoint": {"privateAllowedCidrs": null}})
	count(clu_002.violation) == 0 with input as fx.cluster("aks", {"endpoint": {"allowedCidrs": []}})
}
