package posture.lib.gcp_test

import data.posture.lib.gcp
import rego.v1

test_get_treats_null_as_absent if {
	gcp.get({"a": {"b": null}}, ["a", "b"], "default") == "default"
	gcp.get({"a": {"b": false}}, ["a", "b"], true) == false
}

test_default_service_account_forms if {
	gcp.default_service_account("default")
	gcp.default_service_account("123-compute@developer.gserviceaccount.com")
	not gcp.default_service_account("nodes@p.iam.gserviceaccount.com")
}
