# METADATA
# title: GKE runs no Kubernetes dashboard and is not an alpha cluster
# description: >-
#   The legacy Kubernetes dashboard add-on must be disabled (`addonsConfig.kubernetesDashboard`
#   present with `disabled` not true means it runs; an absent add-on block means it is not
#   installed) and the cluster must not enable alpha features (`enableKubernetesAlpha`).
# custom:
#   id: GKE-013
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [gcp]
#     distribution: [gke]
#   requires: [raw.cluster]
#   frameworks:
#     cis-gke-1.9: ["5.10.1", "5.10.2"]
#     nist-800-53-r5: ["CM-7"]
#     pci-dss-4.0: ["2.2.4"]
#     disa-k8s-stig: ["V-242395", "V-242400"]
#     owasp-docker-top10: ["D04"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10]
#   remediation: >-
#     Disable the dashboard (`gcloud container clusters update --update-addons=KubernetesDashboard=DISABLED`);
#     alpha clusters cannot be converted, so recreate them without `--enable-kubernetes-alpha`.
package posture.rules.gke_013

import data.posture.lib.gcp
import rego.v1

violation contains {
	"msg": sprintf("GKE cluster %s runs the Kubernetes dashboard add-on", [input.cluster.name]),
	"path": "addonsConfig/kubernetesDashboard/disabled",
	"evidence": object.get(dashboard, "disabled", null),
} if {
	gcp.is_gke(input)
	dashboard := gcp.cluster(input).addonsConfig.kubernetesDashboard
	is_object(dashboard)
	object.get(dashboard, "disabled", false) != true
}

violation contains {
	"msg": sprintf("GKE cluster %s is an alpha cluster", [input.cluster.name]),
	"path": "enableKubernetesAlpha",
	"evidence": true,
} if {
	gcp.is_gke(input)
	gcp.get(gcp.cluster(input), ["enableKubernetesAlpha"], false) == true
}
