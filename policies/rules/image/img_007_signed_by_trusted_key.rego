# METADATA
# title: Image signed by a trusted key
# description: >-
#   Judges the signatures found for the image's digest (and for the index it was pulled through): through
#   the OCI 1.1 referrers API or its fallback tag sha256-<hex> (cosign v3's Sigstore bundle, Notary Project
#   signatures made by notation), and cosign's legacy sha256-<hex>.sig tag. Passes when one signature
#   verifies under the supplyChain policy that covers the image and signs this digest: a cosign signature
#   under one of its keys, or keyless (its certificate chains to the policy's trusted root at the time its
#   transparency-log entry, verified offline, was integrated, and names an allowed identity and OIDC
#   issuer), or a notation signature whose certificate chain contains a certificate of its trust store and
#   whose signing certificate is one of its trusted identities. Fails when none does, naming why each one
#   found was rejected (another key, certificate authority or identity, a missing or foreign log entry, an
#   altered payload or signature, a signature copied from another image, an expired signature or
#   certificate, a malformed artifact) or that none was found. Images no policy covers, and images whose
#   signatures could not be read (registry errors), are not evaluated.
# custom:
#   id: IMG-007
#   severity: high
#   kind: [image]
#   requires: [image.signatures]
#   frameworks:
#     cis-docker-1.6: ["4.12"]
#     nist-800-53-r5: ["SI-7", "CM-14"]
#     owasp-docker-top10: ["D08"]
#     nist-800-190: ["4.1.5"]
#   unverified: ["nist-800-53-r5", "owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     Sign the image digest in CI with the release key (`cosign sign --key <kms or file> <image>@<digest>`)
#     and make sure the signature is pushed to the same repository; if the signer's key changed, add its
#     public key to the policy in posture.yaml (supplyChain.policies[].cosign.keys), or for keyless signing
#     the workflow identity and issuer (cosign.keyless.identities). With notation, sign with
#     `notation sign --key <key> <image>@<digest>` and put the signing CA in supplyChain.policies[].notation
#     (trustStore, trustedIdentities). Rebuild and re-sign
#     an image whose signature does not verify: it may have been tampered with.
package posture.rules.img_007

import data.posture.lib.image
import rego.v1

verified := [s | some s in input.image.signatures; s.verified]

searched := [d.via | some d in object.get(input.image, ["supplyChain", "discovery"], [])]

policy := object.get(input.image, ["supplyChain", "policy"], "")

problems := [sprintf("%s (%s)", [s.problem.code, s.problem.message]) | some s in input.image.signatures; not s.verified]

violation contains {
	"msg": sprintf("image %s has no signature (policy %s; looked in: %s)", [input.id, policy, concat(", ", searched)]),
	"path": "signatures",
	"evidence": {"policy": policy, "found": 0, "searched": searched},
} if {
	image.is_image
	count(input.image.signatures) == 0
}

violation contains {
	"msg": sprintf("image %s has no signature that verifies under policy %s: %s", [input.id, policy, concat("; ", problems)]),
	"path": "signatures",
	"evidence": {
		"policy": policy,
		"found": count(input.image.signatures),
		"problems": [{"code": s.problem.code, "format": s.format, "artifact": s.artifact, "message": s.problem.message} |
			some s in input.image.signatures
			not s.verified
		],
	},
} if {
	image.is_image
	count(input.image.signatures) > 0
	count(verified) == 0
}
