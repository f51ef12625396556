# METADATA
# title: Image and its base come from trusted registries
# description: >-
#   Judged only when image.trustedRegistries is configured (an entry is a registry host, or a
#   host with a repository prefix). Fails when the image itself is hosted outside the trusted
#   registries, when its declared base image (annotation or label
#   org.opencontainers.image.base.name) comes from outside them, or when no base image is
#   declared, since an unknown base cannot be approved.
# custom:
#   id: IMG-009
#   severity: high
#   kind: [image]
#   requires: [image.reference]
#   frameworks:
#     cis-docker-1.6: ["4.2"]
#     nist-800-53-r5: ["CM-7(5)"]
#     pci-dss-4.0: ["6.3.2"]
#     owasp-docker-top10: ["D08"]
#     nist-800-190: ["4.1.5"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Build FROM an approved base mirrored into a trusted registry, record it with the
#     org.opencontainers.image.base.name annotation (buildx does this with
#     `--annotation` or the metadata action), and push to a trusted registry; or add the registry
#     to image.trustedRegistries after review.
package posture.rules.img_009

import data.posture.lib.image
import rego.v1

base_key := "org.opencontainers.image.base.name"

ref := input.image.reference

violation contains {
	"msg": sprintf("image %s is hosted in %s, which is not a trusted registry", [input.id, ref.registry]),
	"path": "reference/registry",
	"evidence": {"registry": ref.registry, "repository": ref.repository, "trusted": image.trusted_registries},
} if {
	image.is_image
	image.allow_list_configured
	not image.trusted(ref.registry, ref.repository)
}

violation contains {
	"msg": sprintf("image %s is built on %s, which does not come from a trusted registry", [input.id, base]),
	"path": sprintf("annotations/%s", [base_key]),
	"evidence": {"base": base, "registry": registry, "trusted": image.trusted_registries},
} if {
	image.is_image
	image.allow_list_configured
	base := image.annotation(base_key)
	registry := image.name_registry(base)
	not image.trusted(registry, image.name_repository(base))
}

violation contains {
	"msg": sprintf("image %s does not declare its base image (%s), so the base cannot be approved", [input.id, base_key]),
	"path": sprintf("annotations/%s", [base_key]),
	"evidence": {"missing": base_key},
} if {
	image.is_image
	image.allow_list_configured
	not image.annotation(base_key)
}
