package posture.rules.reg_005_test

import data.posture.rules.reg_005
import data.posture.rules.registry_fixtures_test as fx
import rego.v1

pull := ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

test_private_registries_pass if {
	count(reg_005.violation) == 0 with input as fx.ecr({}, {"policyText": null})
	count(reg_005.violation) == 0 with input as fx.acr({}, {})
	count(reg_005.violation) == 0 with input as fx.ar({}, {"iamPolicy": {"bindings": [{"role": "roles/artifactregistry.reader", "members": ["group:devs@example.com"]}]}})
}

test_ecr_statement_for_everyone_fails if {
	text := fx.policy([{"Sid": "PublicPull", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": pull}])
	some v in reg_005.violation with input as fx.ecr({"publicAccess": true}, {"policyText": text})
	v.path == "policyText/Statement/PublicPull"
}

test_ecr_wildcard_narrowed_to_the_organization_passes if {
	text := fx.policy([{
		"Effect": "Allow", "Principal": "*", "Action": pull,
		"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
	}])
	count(reg_005.violation) == 0 with input as fx.ecr({}, {"policyText": text})
}

test_ecr_single_statement_object_without_sid_is_named_by_position if {
	text := json.marshal({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "ecr:*"}})
	some v in reg_005.violation with input as fx.ecr({}, {"policyText": text})
	v.path == "policyText/Statement/0"
}

test_ecr_deny_for_everyone_passes if {
	text := fx.policy([{"Effect": "Deny", "Principal": "*", "Action": "ecr:*"}])
	count(reg_005.violation) == 0 with input as fx.ecr({}, {"policyText": text})
}

test_ecr_without_collected_policy_uses_the_normalized_field if {
	some v in reg_005.violation with input as fx.ecr({"publicAccess": true}, {})
	v.path == "publicAccess"
	count(reg_005.violation) == 0 with input as fx.ecr({"publicAccess": null}, {})
}

test_acr_anonymous_pull_fails if {
	{v.path | some v in reg_005.violation} == {"anonymousPullEnabled"} with input as fx.acr({}, {"anonymousPullEnabled": true})
}

test_acr_network_defaults_are_open if {
	some v in reg_005.violation with input as fx.acr({}, {"publicNetworkAccess": null, "networkDefaultAction": null})
	v.evidence.publicNetworkAccess == "Enabled"
}

test_acr_firewall_with_deny_default_passes if {
	count(reg_005.violation) == 0 with input as fx.acr({}, {"publicNetworkAccess": "Enabled", "networkDefaultAction": "Deny"})
}

test_artifact_registry_all_users_fails if {
	iam := {"bindings": [{"role": "roles/artifactregistry.reader", "members": ["allUsers", "group:devs@example.com"]}]}
	some v in reg_005.violation with input as fx.ar({}, {"iamPolicy": iam})
	v.path == "iamPolicy/bindings/roles/artifactregistry.reader/allUsers"
}
