# METADATA
# title: Image carries source and revision labels
# description: >-
#   Without the OCI source and revision annotations nobody can trace an image back to the
#   commit it was built from. Fails for each of org.opencontainers.image.source and
#   org.opencontainers.image.revision missing from both the manifest annotations and the config
#   labels. SBOM and provenance attestations (OCI referrers) are not collected and not judged here.
# custom:
#   id: IMG-008
#   severity: medium
#   kind: [image]
#   requires: [image.config]
#   frameworks:
#     cis-docker-1.6: ["4.11"]
#     nist-800-53-r5: ["CM-8", "SR-4"]
#     pci-dss-4.0: ["6.3.2"]
#     owasp-docker-top10: ["D08"]
#     nist-800-190: ["4.1.5"]
#   unverified: ["cis-docker-1.6", "nist-800-53-r5", "pci-dss-4.0", "owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     Set the labels at build time (`docker buildx build --label
#     org.opencontainers.image.source=<repo URL> --label org.opencontainers.image.revision=<commit>`
#     or the metadata action of your CI) and publish an SBOM and provenance attestation.
package posture.rules.img_008

import data.posture.lib.image
import rego.v1

required := ["org.opencontainers.image.source", "org.opencontainers.image.revision"]

violation contains {
	"msg": sprintf("image %s has no %s label or annotation", [input.id, key]),
	"path": sprintf("config/labels/%s", [key]),
	"evidence": {"missing": key},
} if {
	image.is_image
	some key in required
	not present(key)
}

present(key) if trim_space(image.annotation(key)) != ""
