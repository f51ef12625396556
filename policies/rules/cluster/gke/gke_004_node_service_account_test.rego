package posture.rules.gke_004_test

import data.posture.rules.gke_004
import data.posture.rules.gke_fixtures_test as fx
import rego.v1

test_dedicated_account_passes if {
	count(gke_004.violation) == 0 with input as fx.gke({})
}

test_default_account_with_cloud_platform_fails if {
	some v in gke_004.violation with input as fx.gke_pool({"config": {"serviceAccount": "default"}})
	v.path == "nodePools/default-pool/config/serviceAccount"
	contains(v.msg, "cloud-platform")
}

test_default_account_by_email_fails if {
	count(gke_004.violation) == 1 with input as fx.gke_pool({"config": {"serviceAccount": "123456789-compute@developer.gserviceaccount.com"}})
}

test_absent_account_is_api_default if {
	count(gke_004.violation) == 1 with input as fx.gke_pool({"config": {"serviceAccount": null}})
}
