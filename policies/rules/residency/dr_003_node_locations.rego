# METADATA
# title: Cluster nodes and zones inside allowed locations
# description: >-
#   Every zone or region a cluster's control plane or nodes run in (`cluster.locations`,
#   `nodePools[].locations`, and GKE's own `locations` lists) must resolve to a jurisdiction the
#   cluster's data class allows. Zones resolve to their region (europe-west1-b → europe-west1,
#   eu-west-1a → eu-west-1; AKS zone numbers are zones of the cluster's region). Locations in the
#   cluster's own region are DR-002's concern; unknown locations fail closed.
# custom:
#   id: DR-003
#   severity: high
#   kind: [cluster]
#   requires: [cluster.locations]
#   frameworks:
#     gdpr: ["Art. 44"]
#   remediation: >-
#     Remove node pools or zones outside the allowed jurisdictions (GKE: `gcloud container clusters
#     update --node-locations`; node pools: `--node-locations`), or correct the classification.
package posture.rules.dr_003

import data.posture.lib.residency
import rego.v1

violation contains {
	"msg": sprintf("%s runs %s in %s (%s), which is not allowed for data class \"%s\"", [input.id, where, location, jurisdiction, class]),
	"path": path,
	"evidence": {"location": location, "region": region, "jurisdiction": jurisdiction, "class": class},
} if {
	input.kind == "cluster"
	some [path, where, location] in placements
	region := residency.node_region(input, location)
	region != residency.normalize(input.region)
	class := residency.effective_class(input)
	not residency.location_allowed(input, input.provider, region)
	jurisdiction := residency.jurisdiction(input.provider, region)
}

# [finding path, what runs there, location] from the normalized asset and from GKE's raw lists.
placements contains [sprintf("locations/%s", [location]), "control plane or nodes", location] if {
	some location in cluster_locations
}

placements contains [sprintf("nodePools/%s/locations/%s", [pool, location]), sprintf("node pool %s", [pool]), location] if {
	some [pool, location] in pool_locations
}

cluster_locations contains location if some location in object.get(input, ["cluster", "locations"], [])

cluster_locations contains location if some location in object.get(input, ["raw", "cluster", "locations"], [])

pool_locations contains [pool.name, location] if {
	some pool in object.get(input, ["cluster", "nodePools"], [])
	some location in object.get(pool, "locations", [])
}

pool_locations contains [pool.name, location] if {
	input.provider == "gcp"
	some pool in object.get(input, ["raw", "cluster", "nodePools"], [])
	some location in object.get(pool, "locations", [])
}
