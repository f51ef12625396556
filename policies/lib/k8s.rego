# Cross-cloud cluster helpers (EKS, AKS, GKE): small predicates on the normalized cluster part. What a
# provider's field means is decided by its normalizer (providers/*/normalize*), never here.
package posture.lib.k8s

import rego.v1

# A managed Kubernetes cluster with the cross-cloud fields (ECS clusters have none of them).
is_cluster(asset) if {
	asset.kind == "cluster"
	asset.cluster.distribution in {"eks", "aks", "gke"}
}

# An endpoint is open to the world when it admits a /0 (normalizers write 0.0.0.0/0 for an
# unrestricted endpoint; an empty list admits nothing).
open_to_world(cidrs) if {
	some cidr in cidrs
	is_string(cidr)
	endswith(trim_space(cidr), "/0")
}

# The path (or paths) the same problem had under the per-cloud rule a cross-cloud rule replaced, by
# distribution; null when it had the same path (the engine then uses the finding's own path).
earlier_path(paths) := object.get(paths, input.cluster.distribution, null)

# "EKS", "AKS", "GKE" for messages.
label := upper(input.cluster.distribution)
