# METADATA
# title: Registry is reached over a private path
# description: >-
#   Pulls and pushes should not need the public internet. Fails for an ACR registry with no
#   private endpoint connection in state Approved (Basic and Standard SKUs cannot have one).
#   ECR VPC endpoints and Artifact Registry VPC Service Controls perimeters are not collected,
#   so those services are not judged here.
# custom:
#   id: REG-006
#   severity: medium
#   kind: [registry]
#   applies:
#     service: [acr]
#   requires: [registry.acr]
#   frameworks:
#     nist-800-53-r5: ["AC-4", "AC-17", "AC-17(1)", "SC-7", "SC-7(3)"]
#     pci-dss-4.0: ["1.4.4"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.2.1"]
#   unverified: [pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Move the registry to the Premium SKU, create a private endpoint in the VNet the clusters
#     use, approve it, and then disable public network access.
package posture.rules.reg_006

import data.posture.lib.registry
import rego.v1

states := object.get(registry.acr_settings, "privateEndpointStates", [])

approved if {
	some state in states
	is_string(state)
	lower(state) == "approved"
}

violation contains {
	"msg": sprintf("ACR registry %s has no approved private endpoint", [input.registry.name]),
	"path": "privateEndpointConnections",
	"evidence": {"sku": registry.acr_settings.sku, "states": states},
} if {
	registry.acr_settings
	not approved
}
