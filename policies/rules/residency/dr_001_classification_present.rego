# METADATA
# title: Data classification tag present and in the taxonomy
# description: >-
#   Every registry, cluster, workload and service must say what data it holds, under one of the
#   configured tag / label keys (`residency.tagKeys`), with a value from the configured taxonomy
#   (the classes in `residency.allowed`). Until it does, residency rules judge it as the default
#   class. Assets that hold no data and cannot be tagged (the ECR registry's own settings) are
#   not judged; their repositories are.
# custom:
#   id: DR-001
#   severity: medium
#   kind: [registry, cluster, workload, service]
#   requires: [tags]
#   frameworks:
#     gdpr: ["Art. 30"]
#     nist-800-53-r5: ["RA-2"]
#   unverified: [gdpr, nist-800-53-r5]
#   remediation: >-
#     Tag the resource with its data class (e.g. `data-classification=personal`); on GKE use a
#     resource label, on Artifact Registry a repository label.
package posture.rules.dr_001

import data.posture.lib.residency
import rego.v1

applies if {
	input.kind in {"registry", "cluster", "workload", "service"}
	not residency.settings_only(input)
}

violation contains {
	"msg": sprintf("%s has no data classification tag (%s); judged as \"%s\"", [input.id, concat(", ", residency.tag_keys), residency.default_class]),
	"path": "tags",
	"evidence": {"keys": residency.tag_keys, "assumed": residency.default_class},
} if {
	applies
	not residency.declared_key(input)
}

violation contains {
	"msg": sprintf("%s is classified \"%s\", which is not a configured class; judged as \"%s\"", [input.id, value, residency.default_class]),
	"path": sprintf("tags/%s", [key]),
	"evidence": {"value": value, "classes": residency.classes, "assumed": residency.default_class},
} if {
	applies
	key := residency.declared_key(input)
	value := input.tags[key]
	not residency.allowed_by_class[lower(value)]
}
