# METADATA
# title: AKS clusters send metrics or container insights to Azure Monitor
# description: >-
#   Without Azure Monitor (managed Prometheus, `azureMonitorProfile.metrics.enabled`, or Container
#   insights through the `omsagent` add-on) node, pod and container health and performance are not
#   recorded outside the cluster, so incidents and resource abuse go unseen. Judged from the
#   normalized `monitoring`; a cluster whose collector does not say is not judged.
# custom:
#   id: AKS-015
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [cluster.monitoring]
#   frameworks:
#     nist-800-53-r5: ["CA-7", "SI-4"]
#     owasp-docker-top10: ["D10"]
#   unverified: [nist-800-53-r5, owasp-docker-top10]
#   remediation: >-
#     `az aks update --enable-azure-monitor-metrics` (managed Prometheus) or
#     `az aks enable-addons --addons monitoring` (Container insights).
package posture.rules.aks_015

import rego.v1

violation contains {
	"msg": sprintf("AKS cluster %s sends neither metrics nor container insights to Azure Monitor", [input.cluster.name]),
	"path": "azureMonitorProfile/metrics/enabled",
	"evidence": false,
} if {
	input.kind == "cluster"
	input.cluster.distribution == "aks"
	input.cluster.monitoring == false
}
