# METADATA
# title: Image defines a HEALTHCHECK
# description: >-
#   Without a health check a hung process keeps receiving traffic. Fails when the image config
#   has no Healthcheck or disables it with ["NONE"]. An orchestrator-level health check can
#   cover this; record that as an exception for the image.
# custom:
#   id: IMG-005
#   severity: low
#   kind: [image]
#   requires: [image.config]
#   frameworks:
#     cis-docker-1.6: ["4.6"]
#   remediation: >-
#     Add a `HEALTHCHECK CMD …` instruction that probes the service, or configure a health check
#     in the ECS task definition / Kubernetes probes and record an exception.
package posture.rules.img_005

import data.posture.lib.image
import rego.v1

missing_reason := "the image config has no Healthcheck" if input.image.config.healthcheck == null

missing_reason := "the Healthcheck is disabled with NONE" if {
	test := input.image.config.healthcheck
	count(test) > 0
	upper(test[0]) == "NONE"
}

missing_reason := "the Healthcheck has an empty test" if count(input.image.config.healthcheck) == 0

violation contains {
	"msg": sprintf("image %s has no health check: %s", [input.id, missing_reason]),
	"path": "config/healthcheck",
	"evidence": {"healthcheck": input.image.config.healthcheck},
} if {
	image.is_image
	missing_reason
}
