# METADATA
# title: Remote and pull-through repositories use approved upstreams only
# description: >-
#   Judged only when image.trustedRegistries is configured; the same allow-list that decides
#   where images may come from decides which upstreams a registry may proxy. Fails for an
#   Artifact Registry remote Docker repository whose upstream (Docker Hub, or a custom or common
#   repository URI) is not trusted. ECR pull-through cache rules and ACR cache rules are not
#   collected yet and are not judged here.
# custom:
#   id: REG-010
#   severity: medium
#   kind: [registry]
#   applies:
#     service: [artifact-registry]
#   requires: [raw.repository]
#   frameworks:
#     nist-800-53-r5: ["CM-7(5)", "SR-3"]
#     pci-dss-4.0: ["6.3.2"]
#     owasp-docker-top10: ["D08"]
#     nist-800-190: ["4.1.5"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Point the remote repository at an approved upstream (or a curated mirror), or add the
#     upstream to image.trustedRegistries after review.
package posture.rules.reg_010

import data.posture.lib.image
import data.posture.lib.registry
import rego.v1

repository := object.get(input.raw, "repository", {})

docker_remote := object.get(repository, ["remoteRepositoryConfig", "dockerRepository"], {})

public_upstreams := {"DOCKER_HUB": "docker.io"}

# Upstream as registry host + repository path.
upstream := value if {
	value := {"registry": public_upstreams[docker_remote.publicRepository], "repository": ""}
} else := value if {
	value := parse_uri(docker_remote.customRepository.uri)
} else := value if {
	value := parse_uri(repository.remoteRepositoryConfig.commonRepository.uri)
} else := {"registry": "(unknown)", "repository": ""}

parse_uri(uri) := {"registry": lower(parts[0]), "repository": concat("/", array.slice(parts, 1, count(parts)))} if {
	is_string(uri)
	without_scheme := trim_prefix(trim_prefix(uri, "https://"), "http://")
	parts := split(trim_right(without_scheme, "/"), "/")
}

violation contains {
	"msg": sprintf("Artifact Registry repository %s proxies %s, which is not a trusted registry", [input.registry.name, upstream.registry]),
	"path": "remoteRepositoryConfig",
	"evidence": {"upstream": upstream, "trusted": image.trusted_registries},
} if {
	registry.is_artifact_registry
	image.allow_list_configured
	repository.mode == "REMOTE_REPOSITORY"
	object.get(repository, "format", "DOCKER") == "DOCKER"
	not image.trusted(upstream.registry, upstream.repository)
}
