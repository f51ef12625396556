package posture.rules.aks_013_test

import data.posture.rules.aks_013
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in aks_013.violation with input as asset}

test_no_run_command_no_ssh_passes if {
	paths(fx.rest({})) == set()
}

test_run_command_allowed_fails if {
	paths(fx.rest({"apiServerAccessProfile": {"disableRunCommand": false}})) == {"apiServerAccessProfile/disableRunCommand"}
}

test_absent_ssh_access_is_api_default_local_user if {
	some v in aks_013.violation with input as fx.rest_pool({"securityProfile": null})
	v.path == "agentPoolProfiles/system/securityProfile/sshAccess"
	v.evidence == "LocalUser"
}

test_sdk_form_ssh_local_user_fails if {
	pool := object.union(fx.good_pool, {"securityProfile": {"sshAccess": "LocalUser"}})
	paths(fx.sdk({"agentPoolProfiles": [pool]})) == {"agentPoolProfiles/system/securityProfile/sshAccess"}
}
