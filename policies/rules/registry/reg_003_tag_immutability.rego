# METADATA
# title: Image tags are immutable
# description: >-
#   A mutable tag can be repointed to different content after review and deployment. Fails when
#   the registry allows overwriting tags (ECR imageTagMutability MUTABLE, Artifact Registry
#   dockerConfig.immutableTags false or absent, ACR with writes enabled on tags). Unknown (null)
#   passes.
# custom:
#   id: REG-003
#   severity: medium
#   kind: [registry]
#   requires: [registry.tagImmutable]
#   frameworks:
#     aws-fsbp: ["ECR.2"]
#     nist-800-53-r5: ["CA-9(1)", "CM-2", "CM-8(1)"]
#     owasp-docker-top10: ["D09"]
#     nist-800-190: ["4.2.2"]
#   unverified: ["owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     ECR: `aws ecr put-image-tag-mutability --image-tag-mutability IMMUTABLE`. Artifact Registry:
#     set dockerConfig.immutableTags. ACR: lock tags (`az acr repository update --write-enabled
#     false`) and deploy by digest.
package posture.rules.reg_003

import data.posture.lib.registry
import rego.v1

detail := {"imageTagMutability": input.raw.repository.imageTagMutability} if registry.is_ecr

else := {"immutableTags": object.get(input.raw, ["repository", "dockerConfig", "immutableTags"], false)} if registry.is_artifact_registry

else := {}

violation contains {
	"msg": sprintf("%s registry %s lets tags be overwritten", [registry.service, input.registry.name]),
	"path": "tagImmutable",
	"evidence": object.union({"tagImmutable": false}, detail),
} if {
	registry.is_registry
	input.registry.tagImmutable == false
}
