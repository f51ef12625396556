# METADATA
# title: Images are scanned on push or continuously
# description: >-
#   Every pushed image should be scanned for vulnerabilities without anyone asking. Fails when
#   the registry reports scanning off (ECR repository scanOnPush false and no registry-level
#   SCAN_ON_PUSH or CONTINUOUS_SCAN rule whose filter covers the repository; Defender for
#   Containers or Container Scanning off where the collector reports it). Unknown (null) passes.
# custom:
#   id: REG-001
#   severity: high
#   kind: [registry]
#   requires: [registry.scanOnPush]
#   frameworks:
#     cis-eks-1.8: ["5.1.1"]
#     cis-aks-1.8: ["5.1.1"]
#     cis-gke-1.9: ["5.1.1"]
#     aws-fsbp: ["ECR.1"]
#     nist-800-53-r5: ["RA-5"]
#     pci-dss-4.0: ["11.3.1"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.1.1"]
#   unverified: ["owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     ECR: add a registry scanning rule (`aws ecr put-registry-scanning-configuration`) with
#     SCAN_ON_PUSH or CONTINUOUS_SCAN covering the repository, or enable scanOnPush on it. Azure:
#     enable Defender for Containers. GCP: enable the Container Scanning API.
package posture.rules.reg_001

import data.posture.lib.registry
import rego.v1

# GetRegistryScanningConfiguration: the response or its scanningConfiguration member.
scanning := sc if {
	sc := input.raw.scanningConfiguration.scanningConfiguration
	is_object(sc)
} else := sc if {
	sc := input.raw.scanningConfiguration
	is_object(sc)
} else := {}

# ECR filters are wildcards over repository names ([a-z0-9._/-] plus `*`).
filter_matches(filter, name) if {
	regex.match(`^[a-z0-9._/*-]+$`, filter)
	regex.match(concat("", ["^", replace(replace(filter, ".", `\.`), "*", ".*"), "$"]), name)
}

registry_rule_covers if {
	some rule in object.get(scanning, "rules", [])
	rule.scanFrequency in {"SCAN_ON_PUSH", "CONTINUOUS_SCAN"}
	some f in object.get(rule, "repositoryFilters", [])
	filter_matches(f.filter, input.registry.name)
}

violation contains {
	"msg": sprintf("%s registry %s does not scan images on push or continuously", [registry.service, input.registry.name]),
	"path": "scanOnPush",
	"evidence": {"scanOnPush": false, "registryScanType": object.get(scanning, "scanType", null)},
} if {
	registry.is_registry
	input.registry.scanOnPush == false
	not registry_rule_covers
}
