# METADATA
# title: Artifact Registry multi-region allowed for the data class
# description: >-
#   An Artifact Registry repository in a multi-region (`us`, `europe`, `asia`) stores images in
#   several countries. Its jurisdiction comes from the region table, where `europe` is
#   EUROPE_MULTI, not EU, until Google's member list is verified; so EU-only classes fail there.
#   A repository has no replicas of its own (the normalizer leaves `registry.replicaLocations` empty),
#   so its location is all this rule reads.
# custom:
#   id: DR-006
#   severity: medium
#   kind: [registry]
#   applies:
#     service: [artifact-registry]
#   requires: [region]
#   frameworks:
#     gdpr: ["Art. 44"]
#   remediation: >-
#     Create the repository in a single allowed region (e.g. europe-west3) and move images there, or
#     allow the multi-region's jurisdiction for the class once its member locations are verified.
package posture.rules.dr_006

import data.posture.lib.residency
import rego.v1

violation contains {
	"msg": sprintf("%s is in multi-region %s (%s), which is not allowed for data class \"%s\"", [input.id, location, jurisdiction, class]),
	"path": "location",
	"evidence": {"location": location, "jurisdiction": jurisdiction, "class": class},
} if {
	is_artifact_registry
	location := residency.normalize(input.region)
	location in residency.gcp_multi_regions
	class := residency.effective_class(input)
	not residency.location_allowed(input, "gcp", location)
	jurisdiction := residency.jurisdiction("gcp", location)
}

is_artifact_registry if {
	input.kind == "registry"
	input.registry.service == "artifact-registry"
}
