package posture.rules.aks_009_test

import data.posture.rules.aks_009
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

test_private_nodes_pass if {
	count(aks_009.violation) == 0 with input as fx.rest({})
}

test_public_node_ip_fails if {
	some v in aks_009.violation with input as fx.rest_pool({"enableNodePublicIP": true})
	v.path == "agentPoolProfiles/system/enableNodePublicIP"
}

test_absent_field_is_api_default_off if {
	count(aks_009.violation) == 0 with input as fx.rest({"agentPoolProfiles": [object.remove(fx.good_pool, ["enableNodePublicIP"])]})
}

test_az_cli_spelling_is_read if {
	pool := object.union(object.remove(fx.good_pool, ["enableNodePublicIP"]), {"enableNodePublicIp": true})
	count(aks_009.violation) == 1 with input as fx.sdk({"agentPoolProfiles": [pool]})
}
