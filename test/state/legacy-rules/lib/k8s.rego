# Cross-cloud cluster helpers (EKS, AKS, GKE): small predicates on the normalized cluster part.
package posture.lib.k8s

import rego.v1

# A public endpoint is open to the world when no CIDR restricts it or any range is a /0.
open_to_world(cidrs) if count(cidrs) == 0

open_to_world(cidrs) if {
	some cidr in cidrs
	is_string(cidr)
	endswith(trim_space(cidr), "/0")
}
