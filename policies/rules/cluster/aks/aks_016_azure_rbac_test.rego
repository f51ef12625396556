package posture.rules.aks_016_test

import data.posture.rules.aks_016
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

with_cloud_rbac(value) := fx.normalized({"cloudRbac": value})

test_azure_rbac_passes if {
	count(aks_016.violation) == 0 with input as with_cloud_rbac(true)
}

test_kubernetes_rbac_only_fails if {
	some v in aks_016.violation with input as with_cloud_rbac(false)
	v.path == "aadProfile/enableAzureRBAC"
}

test_unknown_is_not_judged if {
	count(aks_016.violation) == 0 with input as with_cloud_rbac(null)
}
