# Reads GKE cluster fields (`raw.cluster`, REST JSON camelCase). REST omits fields at their proto
# default and the Node client fills them in, so rules compare values and never test presence;
# where a field was deprecated in favour of a newer one, both are read and the newer one wins
# when it carries a value.
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

ip_endpoints(asset) := get(cluster(asset), ["controlPlaneEndpointsConfig", "ipEndpointsConfig"], {})

# Whether the control plane answers on a public IP. The newer ipEndpointsConfig decides when it
# holds a value (enabled=false means no IP endpoint at all); otherwise the deprecated
# privateClusterConfig.enablePrivateEndpoint does.
public_endpoint(asset) := false if {
	ip_endpoints(asset).enabled == false
} else := value if {
	value := ip_endpoints(asset).enablePublicEndpoint
	is_boolean(value)
} else := false if {
	get(cluster(asset), ["privateClusterConfig", "enablePrivateEndpoint"], false) == true
} else := true

# Authorized networks: the newer config when it says anything, else the deprecated top-level one.
authorized_networks(asset) := config if {
	config := ip_endpoints(asset).authorizedNetworksConfig
	is_object(config)
	is_boolean(config.enabled)
} else := get(cluster(asset), ["masterAuthorizedNetworksConfig"], {})

# Cluster-wide default for private nodes: networkConfig.defaultEnablePrivateNodes when set,
# else the deprecated privateClusterConfig.enablePrivateNodes.
default_private_nodes(asset) := value if {
	value := cluster(asset).networkConfig.defaultEnablePrivateNodes
	is_boolean(value)
} else if {
	get(cluster(asset), ["privateClusterConfig", "enablePrivateNodes"], false) == true
} else := false

# A node pool's own setting overrides the cluster default (proto `optional`, so set means set).
pool_private_nodes(asset, pool) := value if {
	value := pool.networkConfig.enablePrivateNodes
	is_boolean(value)
} else := default_private_nodes(asset)

pool_name(pool) := get(pool, ["name"], "(unnamed)")

# Google's default Compute Engine service account, named either way.
default_service_account(account) if account == "default"

default_service_account(account) if endswith(lower(account), "-compute@developer.gserviceaccount.com")
