# Reads GKE cluster fields (`raw.cluster`, REST JSON camelCase, the form the collector and `gcloud
# --format=json` give). REST omits fields at their proto default, so rules compare values and never test
# presence. What a field means across its deprecated and newer forms (endpoints, authorized networks,
# private nodes) is decided once by the normalizer (providers/gcp/normalize-gke.ts) and read from the
# normalized cluster, never here.
package posture.lib.gcp

import rego.v1

is_gke(asset) if {
	asset.kind == "cluster"
	asset.cluster.distribution == "gke"
}

cluster(asset) := object.get(asset, ["raw", "cluster"], {})

# The value at `path` under obj, or `default_value` when absent or null.
get(obj, path, default_value) := value if {
	value := object.get(obj, path, null)
	value != null
} else := default_value

node_pools(asset) := [pool |
	some pool in get(cluster(asset), ["nodePools"], [])
	is_object(pool)
]

pool_name(pool) := get(pool, ["name"], "(unnamed)")

# Google's default Compute Engine service account, named either way.
default_service_account(account) if account == "default"

default_service_account(account) if endswith(lower(account), "-compute@developer.gserviceaccount.com")
