# Residency helpers shared by the DR-* rules: classification lookup, location → region →
# jurisdiction, and the allowed-class decision. Everything fails closed: an unknown region is
# UNKNOWN, which no class allows unless the class allows `*`.
package posture.lib.residency

import rego.v1

# The configured classification tag keys, first match wins.
tag_keys := object.get(data.config, ["residency", "tagKeys"], ["data-classification"])

default_class := object.get(data.config, ["residency", "defaultClass"], "restricted")

allowed_by_class := object.get(data.config, ["residency", "allowed"], {})

approved_accounts := object.get(data.config, ["residency", "approvedAccounts"], [])

# The key that carries the classification on the asset (the first configured key present), or
# undefined when none is present.
declared_key(asset) := present[0] if {
	present := [key | some key in tag_keys; is_string(asset.tags[key])]
	count(present) > 0
}

# The raw classification value on the asset, or null when no configured key is present.
declared_class(asset) := asset.tags[key] if {
	key := declared_key(asset)
} else := null

# The configured classes (the taxonomy).
classes := sort([class | some class, _ in allowed_by_class])

# A value outside the configured taxonomy (or none at all) is treated as the default class.
effective_class(asset) := class if {
	value := declared_class(asset)
	is_string(value)
	class := lower(value)
	allowed_by_class[class]
} else := default_class

# Jurisdictions permitted for a class, with group names (EEA, ADEQUATE) expanded.
permitted(class) := {j |
	some entry in object.get(allowed_by_class, class, [])
	some j in expand(entry)
}

expand(entry) := {j | some j in data.jurisdiction_groups[entry]} if data.jurisdiction_groups[entry]

expand(entry) := {entry} if not data.jurisdiction_groups[entry]

# True when the asset's class may live anywhere (then location checks have nothing to say).
unrestricted(asset) if "*" in permitted(effective_class(asset))

jurisdiction_allowed(asset, _) if unrestricted(asset)

jurisdiction_allowed(asset, j) if j in permitted(effective_class(asset))

# Location names as the table spells them: Azure display names ("West Europe") lose spaces.
normalize(location) := lower(replace(trim_space(location), " ", ""))

# The region a location belongs to: GCP zones (europe-west1-b) and AWS availability zones
# (eu-west-1a) resolve to their region; anything else is taken as a region. AWS Local Zones
# (us-east-1-bue-1a) are deliberately not folded into their parent region: some sit in
# another country, so they stay unknown.
region_of_location("gcp", location) := match[1] if {
	ends_in_letter(normalize(location))
	some match in regex.find_all_string_submatch_n(`^([a-z]+-[a-z]+[0-9]+)-[a-z]$`, normalize(location), 1)
} else := normalize(location)

region_of_location("aws", location) := match[1] if {
	ends_in_letter(normalize(location))
	some match in regex.find_all_string_submatch_n(`^([a-z]{2}(?:-gov)?-[a-z]+-[0-9]+)[a-z]$`, normalize(location), 1)
} else := normalize(location)

# Both zone patterns end in a letter and regions end in a digit, so a region never reaches the regex: OPA's
# Wasm runtime compiles a regex anew in every evaluation, and every asset's own region passes through here.
ends_in_letter(location) if trim_right(location, "abcdefghijklmnopqrstuvwxyz") != location

region_of_location(provider, location) := normalize(location) if not provider in {"gcp", "aws"}

# A region's (or zone's) jurisdiction from the shared table; UNKNOWN when the table lacks it.
jurisdiction(provider, location) := j if {
	j := data.regions[provider][region_of_location(provider, location)]
} else := "UNKNOWN"

location_allowed(asset, provider, location) if {
	jurisdiction_allowed(asset, jurisdiction(provider, location))
}

# Where a node location reported on an asset sits. AKS reports availability zones as numbers
# ("1") or as <region>-<n> (the normalizer's form); both are zones of the asset's own region.
node_region(asset, location) := asset.region if {
	asset.provider == "azure"
	normalize(location) != ""
	only_chars(normalize(location), "0123456789")
} else := match[1] if {
	asset.provider == "azure"
	contains(normalize(location), "-")
	some match in regex.find_all_string_submatch_n(`^([a-z0-9]+)-[0-9]+$`, normalize(location), 1)
} else := region_of_location(asset.provider, location)

# Replication targets in another account must be the asset's own account or approved.
account_approved(asset, account) if account == asset.account

account_approved(_, account) if account in approved_accounts

# The region of an ARN (arn:partition:service:region:account:resource); undefined when empty.
arn_region(arn) := region if {
	startswith(arn, "arn:")
	parts := split(arn, ":")
	count(parts) >= 6
	region := parts[3]
	region != ""
}

# The location of a GCP resource name (projects/p/locations/<loc>/…).
gcp_resource_location(name) := match[1] if {
	contains(name, "locations/")
	some match in regex.find_all_string_submatch_n(`(?:^|/)locations/([^/]+)/`, name, 1)
}

# Multi-region locations (GCP Artifact Registry, legacy GCR): one name, several countries.
gcp_multi_regions := {"us", "europe", "asia"}

# --- Where an image reference is stored (DR-007) ---------------------------------------------

registry_locations := object.get(data.config, ["residency", "registryLocations"], {})

# The registry host of an image reference; Docker Hub when the first component is not a host.
image_host(image) := lower(first) if {
	parts := split(image, "/")
	count(parts) > 1
	first := parts[0]
	host_like(first)
} else := "docker.io"

host_like(component) if contains(component, ".")

host_like(component) if contains(component, ":")

host_like("localhost")

# Legacy Container Registry hosts and the multi-region they store in (catalog (u)).
gcr_hosts := {"gcr.io": "us", "us.gcr.io": "us", "eu.gcr.io": "europe", "asia.gcr.io": "asia"}

# {provider, location} of a registry host: configured first, then parsed from ECR and Artifact
# Registry host names; anything else (ACR, Docker Hub, mirrors) is unknown and fails closed.
image_source(host) := source if {
	source := registry_locations[host]
} else := source if {
	source := registry_locations[split(host, ":")[0]]
} else := {"provider": "aws", "location": region} if {
	region := ecr_region(host)
} else := {"provider": "gcp", "location": location} if {
	location := artifact_registry_location(host)
} else := {"provider": "gcp", "location": location} if {
	location := gcr_hosts[host]
} else := {"provider": "unknown", "location": ""}

# Host names are taken apart with string builtins rather than regexes: OPA's Wasm runtime compiles a regex
# anew in every evaluation, and every workload's images pass through here (scripts/bench/engine.ts).

# <12 digits>.dkr.ecr[-fips].<region>.amazonaws.com[.cn] → region.
ecr_region(host) := parts[3] if {
	parts := split(host, ".")
	count(parts[0]) == 12
	only_chars(parts[0], "0123456789")
	parts[1] == "dkr"
	parts[2] in {"ecr", "ecr-fips"}
	parts[3] != ""
	only_chars(parts[3], "abcdefghijklmnopqrstuvwxyz0123456789-")
	concat(".", array.slice(parts, 4, count(parts))) in {"amazonaws.com", "amazonaws.com.cn"}
}

# <location>-docker.pkg.dev → location.
artifact_registry_location(host) := location if {
	endswith(host, "-docker.pkg.dev")
	location := substring(host, 0, count(host) - count("-docker.pkg.dev"))
	location != ""
	only_chars(location, "abcdefghijklmnopqrstuvwxyz0123456789-")
}

only_chars(text, allowed) if trim(text, allowed) == ""

# Assets that are only settings and hold no data of their own (the ECR registry: its repositories
# hold the images and carry the classification; a registry cannot be tagged).
settings_only(asset) if {
	asset.kind == "registry"
	asset.registry.service == "ecr-registry"
}
