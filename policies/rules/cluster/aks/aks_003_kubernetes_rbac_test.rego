package posture.rules.aks_003_test

import data.posture.rules.aks_003
import data.posture.rules.aks_fixtures_test as fx
import rego.v1

test_rbac_on_passes_wire_form if {
	count(aks_003.violation) == 0 with input as fx.rest({"enableRBAC": true})
}

test_rbac_off_fails_wire_form if {
	some v in aks_003.violation with input as fx.rest({"enableRBAC": false})
	v.path == "enableRBAC"
	v.evidence == false
}

test_rbac_on_passes_sdk_form if {
	count(aks_003.violation) == 0 with input as fx.sdk({"enableRbac": true})
}

test_rbac_off_fails_sdk_form if {
	count(aks_003.violation) == 1 with input as fx.sdk({"enableRbac": false})
}

test_wire_name_in_sdk_form_is_not_confused_with_properties if {
	# SDK objects are flattened: a stray `properties` object must not be read in the SDK form.
	count(aks_003.violation) == 1 with input as fx.sdk({"enableRbac": false, "properties": {"enableRBAC": true}})
}

test_absent_field_is_api_default_enabled if {
	count(aks_003.violation) == 0 with input as fx.rest({"enableRBAC": null})
}

test_sdk_rbac_flag_in_properties_is_ignored_in_wire_form if {
	# In wire JSON the field lives under properties; a top-level one is not the cluster's setting.
	wire := fx.rest({"enableRBAC": false})
	count(aks_003.violation) == 1 with input as object.union(wire, {"raw": {"resource": {"enableRbac": true}}})
}
