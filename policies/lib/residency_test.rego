package posture.lib.residency_test

import data.posture.lib.residency
import rego.v1

test_zones_resolve_to_regions if {
	residency.jurisdiction("gcp", "europe-west1-b") == "EU"
	residency.jurisdiction("gcp", "us-central1-a") == "US"
	residency.jurisdiction("aws", "eu-west-1a") == "EU"
	residency.jurisdiction("aws", "eu-west-2") == "UK"
}

test_aws_local_zones_stay_unknown if {
	# Some local zones sit in another country than their parent region.
	residency.jurisdiction("aws", "us-east-1-bue-1a") == "UNKNOWN"
}

test_azure_display_names_are_normalized if {
	residency.jurisdiction("azure", "West Europe") == "EU"
}

test_multi_regions_keep_their_own_jurisdiction if {
	residency.jurisdiction("gcp", "europe") == "EUROPE_MULTI"
	residency.jurisdiction("gcp", "global") == "GLOBAL"
}

test_unknown_provider_or_region_is_unknown if {
	residency.jurisdiction("oci", "eu-west-1") == "UNKNOWN"
	residency.jurisdiction("aws", "cn-north-1") == "UNKNOWN"
}

test_aks_zone_forms_resolve_to_the_cluster_region if {
	asset := {"provider": "azure", "region": "westeurope"}
	residency.node_region(asset, "2") == "westeurope"
	residency.node_region(asset, "westeurope-3") == "westeurope"
	residency.node_region(asset, "northeurope") == "northeurope"
}

test_first_configured_tag_key_wins if {
	asset := {"tags": {"b": "public", "a": "restricted"}}
	residency.declared_key(asset) == "a" with data.config as {"residency": {"tagKeys": ["a", "b"]}}
}

test_image_hosts if {
	residency.image_host("nginx:1.27") == "docker.io"
	residency.image_host("library/nginx") == "docker.io"
	residency.image_host("ghcr.io/acme/web:1") == "ghcr.io"
	residency.image_host("localhost/web") == "localhost"
	residency.image_host("REGISTRY.local:5000/web") == "registry.local:5000"
}

test_image_sources if {
	residency.image_source("111111111111.dkr.ecr.eu-west-1.amazonaws.com") == {"provider": "aws", "location": "eu-west-1"}
	residency.image_source("111111111111.dkr.ecr-fips.us-east-1.amazonaws.com") == {"provider": "aws", "location": "us-east-1"}
	residency.image_source("europe-west3-docker.pkg.dev") == {"provider": "gcp", "location": "europe-west3"}
	residency.image_source("europe-docker.pkg.dev") == {"provider": "gcp", "location": "europe"}
	residency.image_source("eu.gcr.io") == {"provider": "gcp", "location": "europe"}
	residency.image_source("shop.azurecr.io") == {"provider": "unknown", "location": ""}
	residency.image_source("111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn") == {"provider": "aws", "location": "cn-north-1"}
	residency.image_source("a-docker-docker.pkg.dev") == {"provider": "gcp", "location": "a-docker"}
}

test_configured_registry_location_wins if {
	locations := {"mirror.internal": {"provider": "aws", "location": "eu-central-1"}}
	residency.image_source("mirror.internal:443") == {"provider": "aws", "location": "eu-central-1"} with data.config as {"residency": {"registryLocations": locations}}
}

test_key_locations if {
	residency.arn_region("arn:aws:kms:eu-west-1:111111111111:key/abc") == "eu-west-1"
	not residency.arn_region("alias/abc")
	residency.gcp_resource_location("projects/p/locations/europe-west1/keyRings/r/cryptoKeys/k") == "europe-west1"
}

test_new_zealand_counts_as_adequate if {
	residency.jurisdiction("azure", "newzealandnorth") == "NZ"
	residency.location_allowed({"tags": {"c": "personal"}}, "azure", "newzealandnorth") with data.config as {"residency": {
		"tagKeys": ["c"],
		"allowed": {"personal": ["EEA", "ADEQUATE"]},
	}}
}

# Shapes the former regexes (^[0-9]{12}\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$ and
# ^([a-z0-9-]+)-docker\.pkg\.dev$) rejected stay unknown.
test_image_sources_near_misses_are_unknown if {
	unknown := {"provider": "unknown", "location": ""}
	residency.image_source("11111111111.dkr.ecr.eu-west-1.amazonaws.com") == unknown
	residency.image_source("11111111111a.dkr.ecr.eu-west-1.amazonaws.com") == unknown
	residency.image_source("111111111111.dkr.ecr.eu-west-1.amazonaws.com.evil.example") == unknown
	residency.image_source("111111111111.dkr.ecr.eu_west-1.amazonaws.com") == unknown
	residency.image_source("111111111111.dkr.ecr..amazonaws.com") == unknown
	residency.image_source("111111111111.dkr.ecr-gov.eu-west-1.amazonaws.com") == unknown
	residency.image_source("111111111111.dkr.ecr.eu-west-1.amazonaws.com:443") == unknown
	residency.image_source("-docker.pkg.dev") == unknown
	residency.image_source("Europe-docker.pkg.dev") == unknown
	residency.image_source("europe.docker.pkg.dev") == unknown
}
