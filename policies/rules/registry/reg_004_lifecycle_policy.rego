# METADATA
# title: Registry has a lifecycle / cleanup policy
# description: >-
#   Without cleanup, old and vulnerable images stay pullable forever. Fails when the registry
#   reports no lifecycle policy (ECR GetLifecyclePolicy found none, ACR retention policy off,
#   Artifact Registry without cleanupPolicies). Unknown (null, e.g. not collected) passes.
# custom:
#   id: REG-004
#   severity: low
#   kind: [registry]
#   requires: [registry.lifecyclePolicy]
#   frameworks:
#     aws-fsbp: ["ECR.3"]
#     nist-800-53-r5: ["CA-9(1)", "CM-2", "CM-2(2)"]
#     pci-dss-4.0: ["3.2.1", "10.5.1"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.2.2"]
#   unverified: ["owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     ECR: `aws ecr put-lifecycle-policy` expiring untagged and old images. ACR: enable the
#     retention policy (Premium) or an `acr purge` task. Artifact Registry: add cleanup policies.
package posture.rules.reg_004

import data.posture.lib.registry
import rego.v1

violation contains {
	"msg": sprintf("%s registry %s has no lifecycle or cleanup policy", [registry.service, input.registry.name]),
	"path": "lifecyclePolicy",
	"evidence": {"lifecyclePolicy": false},
} if {
	registry.is_registry
	input.registry.lifecyclePolicy == false
}
