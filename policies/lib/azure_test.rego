package posture.lib.azure_test

import data.posture.lib.azure
import rego.v1

rest := {"rawForm": "arm-rest", "raw": {"resource": {
	"location": "westeurope",
	"identity": {"type": "SystemAssigned"},
	"properties": {
		"enableRBAC": false,
		"aadProfile": null,
		"securityProfile": {"defender": {"securityMonitoring": {"enabled": true}}},
	},
}}}

sdk := {"rawForm": "arm-sdk", "raw": {"resource": {
	"location": "westeurope",
	"identity": {"type": "SystemAssigned"},
	"enableRbac": false,
	"apiServerAccessProfile": {"authorizedIpRanges": ["10.0.0.0/8"]},
	"securityProfile": {"defender": {"securityMonitoring": {"enabled": true}}},
}}}

test_same_wire_path_reads_both_forms if {
	azure.prop(rest, ["enableRBAC"]) == false
	azure.prop(sdk, ["enableRBAC"]) == false
	azure.prop(rest, ["securityProfile", "defender", "securityMonitoring", "enabled"]) == true
	azure.prop(sdk, ["securityProfile", "defender", "securityMonitoring", "enabled"]) == true
}

test_envelope_fields_are_read_at_the_top_in_both_forms if {
	azure.prop(rest, ["identity", "type"]) == "SystemAssigned"
	azure.prop(sdk, ["identity", "type"]) == "SystemAssigned"
}

test_az_cli_renames_are_matched_ignoring_case if {
	azure.prop(sdk, ["apiServerAccessProfile", "authorizedIPRanges"]) == ["10.0.0.0/8"]
}

test_null_and_absent_take_the_default if {
	azure.prop_or(rest, ["aadProfile"], "default") == "default"
	azure.prop_or(rest, ["addonProfiles", "azurepolicy", "enabled"], false) == false
}

test_conflicting_case_variants_do_not_break_evaluation if {
	# Hostile input with two spellings: the exact key wins; otherwise one is picked deterministically.
	obj := {"EnableRbac": true, "ENABLERBAC": false}
	azure.field(obj, "enableRBAC") == false
	azure.field({"enableRBAC": true, "EnableRbac": false}, "enableRBAC") == true
}

test_non_objects_are_undefined_not_errors if {
	not azure.field("text", "x")
	not azure.prop({"rawForm": "arm-rest", "raw": {"resource": {"properties": "oops"}}}, ["enableRBAC"])
}
