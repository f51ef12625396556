# METADATA
# title: Containers run digest-pinned images from trusted registries
# description: >-
#   Each container's image (ECS container definition, Kubernetes container, init and ephemeral ones too)
#   must reference a digest (`@sha256:…`), so the workload runs exactly the image that was scanned, and
#   come from a registry in `image.trustedRegistries`. An allow-list entry matches a registry host
#   exactly, by glob over dot-separated labels (`*.dkr.ecr.*.amazonaws.com`), or as a repository prefix
#   (`ghcr.io/acme`). Images without a registry host come from docker.io. With an empty allow-list only the
#   digest is checked.
# custom:
#   id: WKL-016
#   aliases: [ECS-016]
#   severity: high
#   kind: [workload]
#   requires: [workload.containers.image]
#   frameworks:
#     nsa-cisa-k8s-1.2: ["pod-security/secure-images"]
#     cis-eks-1.8: ["5.1.4"]
#     cis-aks-1.8: ["5.1.4"]
#     nist-800-53-r5: ["CM-7(5)"]
#     pci-dss-4.0: ["6.3.2"]
#     owasp-docker-top10: ["D08"]
#     nist-800-190: ["4.1.5", "4.2.2"]
#   unverified: [cis-eks-1.8, cis-aks-1.8, nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Push the image to an approved registry (e.g. your ECR) and reference it by digest (`repo@sha256:…`)
#     in the container definition or pod spec; let CI resolve tags to digests at deploy time.
package posture.rules.wkl_016

import data.posture.lib.image
import data.posture.lib.workload
import rego.v1

trusted_registries := object.get(data.config, ["image", "trustedRegistries"], [])

violation contains {
	"msg": sprintf("container %s in %s uses image %s from %s, which is not a trusted registry", [c.name, workload.label, c.image, ref.host]),
	"path": sprintf("containers/%s/image/registry", [c.name]),
	"evidence": {"image": c.image, "registry": ref.host},
} if {
	workload.is_workload
	count(trusted_registries) > 0
	some c in workload.containers
	ref := parse(c.image)
	not trusted(ref)
}

violation contains {
	"msg": sprintf("container %s in %s uses image %s without a digest", [c.name, workload.label, c.image]),
	"path": sprintf("containers/%s/image/digest", [c.name]),
	"evidence": {"image": c.image},
} if {
	workload.is_workload
	some c in workload.containers
	not image.pinned_by_digest(trim_space(c.image))
}

# {host, name}: registry host and host/repository without tag or digest, lower-cased.
parse(image) := {"host": host, "name": concat("/", [host, repository])} if {
	parts := split(split(lower(trim_space(image)), "@")[0], "/")
	explicit_host(parts)
	host := parts[0]
	repository := strip_tag(concat("/", array.slice(parts, 1, count(parts))))
} else := {"host": "docker.io", "name": concat("/", ["docker.io", repository])} if {
	parts := split(split(lower(trim_space(image)), "@")[0], "/")
	repository := implicit_repository(parts)
}

explicit_host(parts) if {
	count(parts) > 1
	host_like(parts[0])
}

# A first path component with a dot or a port, or localhost (no regex: see image.pinned_by_digest).
host_like(part) if contains(part, ".")

host_like(part) if contains(part, ":")

host_like("localhost")

implicit_repository(parts) := strip_tag(concat("/", ["library", parts[0]])) if count(parts) == 1

else := strip_tag(concat("/", parts))

# The tag follows the last ':' after the last '/'.
strip_tag(repository) := trim_suffix(repository, concat("", [":", tag])) if {
	segments := split(repository, "/")
	last := segments[count(segments) - 1]
	contains(last, ":")
	pieces := split(last, ":")
	tag := pieces[count(pieces) - 1]
} else := repository

trusted(ref) if {
	some entry in trusted_registries
	allowed_by(lower(trim_right(trim_space(entry), "/")), ref)
}

allowed_by(entry, ref) if entry == ref.host

allowed_by(entry, ref) if startswith(ref.name, concat("", [entry, "/"]))

allowed_by(entry, ref) if {
	contains(entry, "*")
	glob.match(entry, ["."], ref.host)
}

allowed_by(entry, ref) if {
	contains(entry, "*")
	contains(entry, "/")
	glob.match(entry, ["/"], ref.name)
}
