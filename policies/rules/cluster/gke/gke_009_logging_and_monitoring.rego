# METADATA
# title: GKE sends system logs and metrics to Cloud Operations
# description: >-
#   Cluster logging and monitoring must not be turned off (`loggingService` / `monitoringService`
#   `none`), and when logging components are listed they must include SYSTEM_COMPONENTS.
#   Unset services are the API default (Cloud Logging / Monitoring for Kubernetes).
# custom:
#   id: GKE-009
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.7.1"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     pci-dss-4.0: ["10.2.1"]
#     disa-k8s-stig: ["V-242461"]
#     owasp-docker-top10: ["D10"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, disa-k8s-stig, owasp-docker-top10]
#   remediation: >-
#     Turn Cloud Logging and Monitoring back on (`gcloud container clusters update
#     --logging=SYSTEM,WORKLOAD --monitoring=SYSTEM`).
package posture.rules.gke_009

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s has %s turned off", [input.cluster.name, service]),
	"path": service,
	"evidence": "none",
} if {
	gcp.is_gke(input)
	some service in ["loggingService", "monitoringService"]
	gcp.get(gcp.cluster(input), [service], "") == "none"
}

violation contains {
	"msg": sprintf("GKE cluster %s does not log system components", [input.cluster.name]),
	"path": "loggingConfig/componentConfig/enableComponents",
	"evidence": components,
} if {
	gcp.is_gke(input)
	gcp.get(gcp.cluster(input), ["loggingService"], "") != "none"
	components := gcp.cluster(input).loggingConfig.componentConfig.enableComponents
	is_array(components)
	not "SYSTEM_COMPONENTS" in components
}
