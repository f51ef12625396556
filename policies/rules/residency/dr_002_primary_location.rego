# METADATA
# title: Primary location allowed for the data classification
# description: >-
#   The asset's region must sit in a jurisdiction that the configuration allows for the
#   data class named by its classification tag (or the default class when untagged).
#   Unknown regions fail closed. Assets that hold no data (the ECR registry's own settings) are
#   not judged; their repositories are.
# custom:
#   id: DR-002
#   severity: high
#   kind: [registry, cluster, workload, service]
#   requires: [region]
#   frameworks:
#     gdpr: ["Art. 44", "Art. 45"]
#     nist-800-53-r5: ["SA-9(5)"]
#   unverified: ["nist-800-53-r5"]
#   remediation: >-
#     Move the resource to a region whose jurisdiction is allowed for its class, or correct
#     the classification tag if it is wrong.
package posture.rules.dr_002

import data.posture.lib.residency
import rego.v1

applies if {
	input.kind in {"registry", "cluster", "workload", "service"}
	input.region != ""
	not residency.settings_only(input)
}

violation contains {
	"msg": sprintf("%s is in %s (%s), which is not allowed for data class \"%s\"", [input.id, input.region, jurisdiction, class]),
	"path": "region",
	"evidence": {"region": input.region, "jurisdiction": jurisdiction, "class": class},
} if {
	applies
	class := residency.effective_class(input)
	not residency.location_allowed(input, input.provider, input.region)
	jurisdiction := residency.jurisdiction(input.provider, input.region)
}
