package posture.rules.gke_011_test

import data.posture.rules.gke_011
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

paths(asset) := {v.path | some v in gke_011.violation with input as asset}

test_no_static_credentials_passes if {
	paths(fx.gke({})) == set()
}

test_issued_certificate_fails if {
	paths(fx.gke({"masterAuth": {"clientCertificateConfig": {"issueClientCertificate": true}}})) == {"masterAuth/clientCertificateConfig/issueClientCertificate"}
}

test_client_key_in_response_fails_without_echoing_it if {
	some v in gke_011.violation with input as fx.gke({"masterAuth": {"clientKey": "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ=="}})
	v.evidence == true
	not contains(json.marshal(v), "LS0tLS1CRUdJTiBSU0")
}

test_basic_auth_user_fails_without_the_password if {
	some v in gke_011.violation with input as fx.gke({"masterAuth": {"username": "admin", "password": "hunter2hunter2"}})
	v.path == "masterAuth/username"
	not contains(json.marshal(v), "hunter2")
}

test_absent_master_auth_is_api_default_none if {
	paths(fx.without(["masterAuth"])) == set()
}
