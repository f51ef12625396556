package posture.rules.eks_009_test

import data.posture.rules.eks_009
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

remote(access) := fx.raw_keys({"nodegroups": [object.union(fx.good_nodegroup, {"remoteAccess": access})]}, ["nodegroups"])

test_no_remote_access_passes if {
	count(eks_009.violation) == 0 with input as fx.good
}

test_ssh_from_bastion_group_passes if {
	count(eks_009.violation) == 0 with input as remote({"ec2SshKey": "ops", "sourceSecurityGroups": ["sg-0bastion"]})
}

test_open_ssh_fails if {
	some v in eks_009.violation with input as remote({"ec2SshKey": "ops"})
	v.path == "nodegroups/general/remoteAccess"
	v.evidence.ec2SshKey == "ops"
}

test_nodegroups_not_collected_is_silent if {
	count(eks_009.violation) == 0 with input as fx.raw_keys({}, ["nodegroups"])
}
