# METADATA
# title: GKE security posture and workload vulnerability scanning on
# description: >-
#   The security posture dashboard (`securityPostureConfig.mode`) and workload vulnerability
#   scanning (`vulnerabilityMode`) must not be disabled. An unset mode cannot be shown to be on,
#   so it fails closed.
# custom:
#   id: GKE-015
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.10.4", "5.1.1"]
#     nist-800-53-r5: ["RA-5", "CM-6"]
#     pci-dss-4.0: ["11.3.1"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.1.1"]
#   unverified: [cis-gke-1.9, nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable security posture and vulnerability scanning (`gcloud container clusters update
#     --security-posture=standard --workload-vulnerability-scanning=standard`).
package posture.rules.gke_015

import data.posture.lib.gcp
import rego.v1

off := {
	"mode": {"DISABLED", "MODE_UNSPECIFIED"},
	"vulnerabilityMode": {"VULNERABILITY_DISABLED", "VULNERABILITY_MODE_UNSPECIFIED"},
}

violation contains {
	"msg": sprintf("GKE cluster %s has %s %s", [input.cluster.name, setting, value]),
	"path": sprintf("securityPostureConfig/%s", [setting]),
	"evidence": value,
} if {
	gcp.is_gke(input)
	some setting, disabled in off
	value := gcp.get(gcp.cluster(input), ["securityPostureConfig", setting], concat("", [prefix[setting], "MODE_UNSPECIFIED"]))
	value in disabled
}

prefix := {"mode": "", "vulnerabilityMode": "VULNERABILITY_"}
