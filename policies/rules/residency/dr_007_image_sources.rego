# METADATA
# title: Workloads pull images from registries in allowed locations
# description: >-
#   Images can carry regulated data (baked-in datasets, models, configuration), so each container
#   image's registry must sit in a jurisdiction the workload's data class allows. The location is
#   parsed from the host (`<account>.dkr.ecr.<region>.amazonaws.com`, `<location>-docker.pkg.dev`,
#   legacy `gcr.io` hosts as their multi-region) or taken from `residency.registryLocations`; any
#   other host (ACR, Docker Hub, mirrors) is unknown and fails closed. Turn off with
#   `residency.checkImageSources: false` where images never hold regulated data.
# custom:
#   id: DR-007
#   severity: medium
#   kind: [workload]
#   requires: [workload.containers.image]
#   frameworks:
#     gdpr: ["Art. 44"]
#     nist-800-53-r5: ["SR-3"]
#   unverified: [gdpr, nist-800-53-r5]
#   remediation: >-
#     Pull from a registry in an allowed region (or a replica there); for ACR and private
#     registries, declare their location under `residency.registryLocations` in posture.yaml.
package posture.rules.dr_007

import data.posture.lib.residency
import rego.v1

enabled if object.get(data.config, ["residency", "checkImageSources"], true) == true

violation contains {
	"msg": sprintf("container %s pulls %s from %s (%s), which is not allowed for data class \"%s\"", [container.name, container.image, host, where, class]),
	"path": sprintf("containers/%s/image", [container.name]),
	"evidence": {"image": container.image, "registry": host, "provider": source.provider, "location": source.location, "jurisdiction": jurisdiction, "class": class},
} if {
	enabled
	input.kind == "workload"
	some container in input.workload.containers
	host := residency.image_host(container.image)
	source := residency.image_source(host)
	class := residency.effective_class(input)
	not residency.location_allowed(input, source.provider, source.location)
	jurisdiction := residency.jurisdiction(source.provider, source.location)
	where := describe(source, jurisdiction)
}

describe(source, jurisdiction) := "location unknown: add the host to residency.registryLocations" if source.provider == "unknown"

else := sprintf("%s, %s", [source.location, jurisdiction])
