# METADATA
# title: AKS Defender sensor enabled
# description: >-
#   Microsoft Defender for Containers' runtime sensor should monitor the cluster
#   (`securityProfile.defender.securityMonitoring.enabled`, off unless set).
# custom:
#   id: AKS-006
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [cluster.aks]
#   frameworks:
#     nist-800-53-r5: ["RA-5", "SI-4"]
#     pci-dss-4.0: ["5.2.1", "5.2.2", "5.2.3", "5.3.1", "5.3.2", "5.3.3"]
#     owasp-docker-top10: ["D02"]
#     nist-800-190: ["4.4.5"]
#   unverified: [nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Enable Defender for Containers on the subscription and the sensor on the cluster
#     (`az aks update --enable-defender`).
package posture.rules.aks_006

import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s has no Defender sensor monitoring it", [input.cluster.name]),
	"path": "securityProfile/defender/securityMonitoring/enabled",
	"evidence": aks.defenderSensor,
} if {
	aks := input.cluster.aks
	aks.defenderSensor != true
}
