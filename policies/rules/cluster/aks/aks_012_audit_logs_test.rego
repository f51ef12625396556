package posture.rules.aks_012_test

import data.posture.rules.aks_012
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

with_settings(settings) := object.union(fx.rest({}), {"raw": {"diagnosticSettings": settings}})

setting(logs) := {
	"id": "/subscriptions/sub-1/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop/providers/Microsoft.Insights/diagnosticSettings/to-law",
	"name": "to-law",
	"properties": {"workspaceId": "/subscriptions/sub-1/resourceGroups/rg-sec/providers/Microsoft.OperationalInsights/workspaces/law", "logs": logs},
}

test_kube_audit_admin_exported_passes if {
	count(aks_012.violation) == 0 with input as with_settings([setting([{"category": "kube-audit-admin", "enabled": true}])])
}

test_audit_category_group_passes if {
	count(aks_012.violation) == 0 with input as with_settings([setting([{"categoryGroup": "audit", "enabled": true}])])
}

test_only_other_categories_fails if {
	some v in aks_012.violation with input as with_settings([setting([
		{"category": "kube-apiserver", "enabled": true},
		{"category": "kube-audit", "enabled": false},
	])])
	v.evidence.diagnosticSettings == 1
}

test_collected_but_none_exist_fails if {
	count(aks_012.violation) == 1 with input as with_settings([])
}

test_null_means_collected_and_none_exist if {
	count(aks_012.violation) == 1 with input as with_settings(null)
}

test_not_collected_is_not_judged if {
	count(aks_012.violation) == 0 with input as fx.rest({})
}

test_sdk_form_setting_is_read if {
	flat := {"name": "to-law", "workspaceId": "/subscriptions/s/x", "logs": [{"category": "kube-audit", "enabled": true}]}
	count(aks_012.violation) == 0 with input as with_settings([flat])
}
