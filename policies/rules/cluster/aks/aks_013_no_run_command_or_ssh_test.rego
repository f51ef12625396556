package posture.rules.aks_013_test

import data.posture.rules.aks_013
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in aks_013.violation with input as asset}

test_no_run_command_no_ssh_passes if {
	paths(fx.good) == set()
}

test_run_command_allowed_fails if {
	paths(fx.aks({"disableRunCommand": false})) == {"apiServerAccessProfile/disableRunCommand"}
}

test_unset_ssh_access_is_api_default_local_user if {
	some v in aks_013.violation with input as fx.aks_pool({"sshAccess": null})
	v.path == "agentPoolProfiles/system/securityProfile/sshAccess"
	v.evidence == "LocalUser"
}

test_ssh_access_case_does_not_matter if {
	paths(fx.aks_pool({"sshAccess": "disabled"})) == set()
}
