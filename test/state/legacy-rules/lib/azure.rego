# Reads AKS / ACR resource fields from either raw form, so every Azure rule is written once.
#
#   arm-rest  ARM wire JSON: resource properties nested under `properties`, `enableRBAC`, …
#   arm-sdk   @azure/arm-containerservice objects and `az aks show` output: properties flattened
#             onto the resource, and renamed (`enableRbac`, `enableAzureRbac`, `enableFips`, and in
#             az output also `authorizedIpRanges`, `diskEncryptionSetId`, `enableNodePublicIp`).
#
# Every rename between the forms is a change of letter case only, so keys are matched exactly
# first and case-insensitively after; ARM itself treats property names case-insensitively.
# Paths are written with wire names and without the leading `properties`.
package posture.lib.azure

import rego.v1

# Fields that sit on the resource itself in both forms (ARM's tracked-resource envelope).
envelope_fields := {"id", "name", "type", "location", "tags", "sku", "identity", "systemdata", "etag", "zones", "extendedlocation", "kind"}

is_aks(asset) if {
	asset.kind == "cluster"
	asset.cluster.distribution == "aks"
}

resource(asset) := object.get(asset, ["raw", "resource"], {})

# The value at `path` (wire names), or undefined when absent or null (null = not set = API default).
prop(asset, path) := value if {
	value := at(start(resource(asset), asset.rawForm, path[0]), path)
	value != null
}

# Like prop, with the API default for an absent or null field.
prop_or(asset, path, default_value) := value if {
	value := prop(asset, path)
} else := default_value

# Where a path begins: wire JSON keeps resource properties under `properties`.
start(res, form, first) := object.get(res, "properties", {}) if {
	form == "arm-rest"
	not lower(first) in envelope_fields
} else := res

# A child by exact key, else by the alphabetically first key that matches ignoring case.
field(obj, key) := obj[key] if is_object(obj)

field(obj, key) := obj[sorted[0]] if {
	is_object(obj)
	not has_key(obj, key)
	sorted := sort([k | some k, _ in obj; is_string(k); lower(k) == lower(key)])
	count(sorted) > 0
}

has_key(obj, key) if _ = obj[key]

# Rego has no recursion: paths are walked to a fixed depth, deeper than any field a rule reads.
at(obj, path) := field(obj, path[0]) if count(path) == 1

at(obj, path) := field(field(obj, path[0]), path[1]) if count(path) == 2

at(obj, path) := field(field(field(obj, path[0]), path[1]), path[2]) if count(path) == 3

at(obj, path) := field(field(field(field(obj, path[0]), path[1]), path[2]), path[3]) if count(path) == 4

at(obj, path) := field(field(field(field(field(obj, path[0]), path[1]), path[2]), path[3]), path[4]) if count(path) == 5

# A field of a nested object (an agent pool, a diagnostic setting's log entry), null-safe.
sub(obj, path, default_value) := value if {
	value := at(obj, path)
	value != null
} else := default_value

# Agent pools with their names (for finding paths), in either form.
agent_pools(asset) := [pool |
	some pool in prop_or(asset, ["agentPoolProfiles"], [])
	is_object(pool)
]

pool_name(pool) := sub(pool, ["name"], "(unnamed)")

# Log entries of the collected diagnostic settings (a list, or a list response with `value`).
diagnostic_settings(asset) := settings if {
	settings := asset.raw.diagnosticSettings
	is_array(settings)
} else := settings if {
	settings := asset.raw.diagnosticSettings.value
	is_array(settings)
} else := []

setting_logs(setting) := logs if {
	logs := sub(setting, ["properties", "logs"], null)
	is_array(logs)
} else := logs if {
	logs := sub(setting, ["logs"], null)
	is_array(logs)
} else := []
