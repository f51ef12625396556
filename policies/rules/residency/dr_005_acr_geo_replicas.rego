# METADATA
# title: ACR geo-replicas inside allowed locations
# description: >-
#   Every geo-replica of an Azure container registry (`registry.replicaLocations` and the collected
#   `replications[].location`) holds a full copy of its images and must sit in a jurisdiction the
#   registry's data class allows. The home replica is DR-002's concern; unknown locations fail closed.
# custom:
#   id: DR-005
#   severity: high
#   kind: [registry]
#   applies:
#     service: [acr]
#   requires: [raw.replications]
#   frameworks:
#     gdpr: ["Art. 44", "Art. 46"]
#   remediation: >-
#     Delete the replica (`az acr replication delete --registry <name> --location <location>`) or
#     correct the classification.
package posture.rules.dr_005

import data.posture.lib.residency
import rego.v1

violation contains {
	"msg": sprintf("%s has a geo-replica in %s (%s), which is not allowed for data class \"%s\"", [input.id, location, jurisdiction, class]),
	"path": sprintf("replications/%s", [location]),
	"evidence": {"location": location, "jurisdiction": jurisdiction, "class": class},
} if {
	input.kind == "registry"
	input.registry.service == "acr"
	some location in replica_locations
	location != residency.normalize(input.region)
	class := residency.effective_class(input)
	not residency.location_allowed(input, "azure", location)
	jurisdiction := residency.jurisdiction("azure", location)
}

replica_locations contains residency.normalize(location) if some location in input.registry.replicaLocations

replica_locations contains residency.normalize(replica.location) if {
	some replica in object.get(input, ["raw", "replications"], [])
	is_string(replica.location)
}
