# Residency helpers shared by the DR-* rules: classification lookup and the
# region → jurisdiction → allowed-class decision. Everything fails closed.
package posture.lib.residency

import rego.v1

# The configured classification tag keys, first match wins.
tag_keys := object.get(data.config, ["residency", "tagKeys"], ["data-classification"])

default_class := object.get(data.config, ["residency", "defaultClass"], "restricted")

allowed_by_class := object.get(data.config, ["residency", "allowed"], {})

# The raw classification value on the asset, or null when no configured key is present.
declared_class(asset) := value if {
	some key in tag_keys
	value := asset.tags[key]
} else := null

# A declared value outside the configured taxonomy is treated as the default class.
effective_class(asset) := class if {
	class := lower(declared_class(asset))
	allowed_by_class[class]
} else := default_class

# Jurisdictions permitted for a class, with group names (EEA, ADEQUATE) expanded.
permitted(class) := {j |
	some entry in object.get(allowed_by_class, class, [])
	some j in expand(entry)
}

expand(entry) := {j | some j in data.jurisdiction_groups[entry]} if data.jurisdiction_groups[entry]

expand(entry) := {entry} if not data.jurisdiction_groups[entry]

# A region's jurisdiction from the shared table; UNKNOWN when the table lacks it.
jurisdiction(provider, region) := data.regions[provider][lower(region)]

jurisdiction(provider, region) := "UNKNOWN" if not data.regions[provider][lower(region)]

# GCP zones (europe-west1-b) resolve through their region.
region_of_location("gcp", location) := trim_zone(location)

region_of_location(provider, location) := location if provider != "gcp"

trim_zone(location) := concat("-", array.slice(parts, 0, 2)) if {
	parts := split(location, "-")
	count(parts) == 3
	count(parts[2]) == 1
}

trim_zone(location) := location if {
	parts := split(location, "-")
	not zone_like(parts)
}

zone_like(parts) if {
	count(parts) == 3
	count(parts[2]) == 1
}

location_allowed(asset, _, _) if {
	"*" in permitted(effective_class(asset))
}

location_allowed(asset, provider, location) if {
	j := jurisdiction(provider, region_of_location(provider, location))
	j in permitted(effective_class(asset))
}
