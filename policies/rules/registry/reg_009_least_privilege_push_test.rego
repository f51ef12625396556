package posture.rules.reg_009_test

import data.posture.rules.reg_009
import data.posture.rules.registry_fixtures_test as fx
import rego.v1

pull := ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]

push := ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]

ecr_with(statements) := fx.ecr({}, {"policyText": fx.policy(statements)})

test_own_account_push_and_foreign_pull_pass if {
	statements := [
		{"Sid": "CiPush", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"}, "Action": push},
		{"Sid": "ProdPull", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "777788889999"]}, "Action": pull},
	]
	count(reg_009.violation) == 0 with input as ecr_with(statements)
}

test_foreign_account_push_fails if {
	statements := [{"Sid": "PartnerPush", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/ci", "arn:aws:iam::444455556666:role/partner"]}, "Action": "ecr:Put*"}]
	some v in reg_009.violation with input as ecr_with(statements)
	v.path == "policyText/Statement/PartnerPush"
	v.evidence.principals == ["arn:aws:iam::444455556666:role/partner"]
	v.evidence.actions == ["ecr:put*"]
}

test_wildcard_writer_fails_even_inside_the_organization if {
	statements := [{"Effect": "Allow", "Principal": "*", "Action": "ecr:*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}}]
	some v in reg_009.violation with input as ecr_with(statements)
	v.evidence.principals == ["*"]
}

test_wildcard_conditioned_to_own_account_passes if {
	statements := [{"Effect": "Allow", "Principal": "*", "Action": push, "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}]
	count(reg_009.violation) == 0 with input as ecr_with(statements)
}

test_hostile_action_strings_are_ignored if {
	statements := [{"Effect": "Allow", "Principal": "*", "Action": ["ecr:(Put", "s3:*"]}]
	count(reg_009.violation) == 0 with input as ecr_with(statements)
}

test_acr_export_enabled_by_default_fails if {
	some v in reg_009.violation with input as fx.acr({}, {"exportPolicy": null})
	v.evidence.exportPolicy == "enabled"
	count(reg_009.violation) == 0 with input as fx.acr({}, {})
}

test_artifact_registry_foreign_writers_fail if {
	iam := {"bindings": [
		{"role": "roles/artifactregistry.writer", "members": [
			"serviceAccount:ci@shop-prod.iam.gserviceaccount.com",
			"serviceAccount:service-123@gcp-sa-artifactregistry.iam.gserviceaccount.com",
			"serviceAccount:builder@other-proj.iam.gserviceaccount.com",
		]},
		{"role": "roles/artifactregistry.reader", "members": ["serviceAccount:deploy@other-proj.iam.gserviceaccount.com"]},
	]}
	violations := reg_009.violation with input as fx.ar({}, {"iamPolicy": iam})
	{v.evidence.member | some v in violations} == {"serviceAccount:builder@other-proj.iam.gserviceaccount.com"}
}

test_artifact_registry_public_writer_fails if {
	iam := {"bindings": [{"role": "roles/artifactregistry.writer", "members": ["allAuthenticatedUsers"]}]}
	count(reg_009.violation) == 1 with input as fx.ar({}, {"iamPolicy": iam})
}
