# METADATA
# title: Kubernetes API audit log is recorded
# description: >-
#   Every request to the Kubernetes API should leave an audit record outside the cluster. Judges the
#   normalized `cluster.auditLogging`: EKS control-plane logging with the `audit` type enabled; AKS a
#   diagnostic setting that exports `kube-audit` or `kube-audit-admin` (or the `audit` / `allLogs` category
#   groups), unknown when the diagnostic settings were not read; GKE always, because Cloud Audit Logs record
#   every change to the Kubernetes API (Admin Activity) and cannot be turned off.
# custom:
#   id: CLU-004
#   severity: high
#   kind: [cluster]
#   applies:
#     distribution: [eks, aks, gke]
#   requires: [cluster.auditLogging]
#   aliases:
#     - {id: EKS-004, distribution: [eks]}
#     - {id: AKS-012, distribution: [aks]}
#   frameworks:
#     cis-eks-1.8: ["2.1.1"]
#     cis-aks-1.8: ["2.1.1"]
#     aws-fsbp: ["EKS.8"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     pci-dss-4.0: ["10.2.1", "10.2.1.2", "10.2.2", "10.3.1", "10.4.2.1"]
#     disa-k8s-stig: ["V-242461", "V-242403"]
#     owasp-docker-top10: ["D10"]
#   unverified: [nist-800-53-r5, owasp-docker-top10]
#   remediation: >-
#     EKS: `aws eks update-cluster-config --logging '{"clusterLogging":[{"types":["audit"],"enabled":true}]}'`.
#     AKS: add a diagnostic setting on the cluster that sends `kube-audit` (or `kube-audit-admin`) to a
#     Log Analytics workspace or storage account.
package posture.rules.clu_004

import data.posture.lib.k8s
import rego.v1

violation contains {
	"msg": sprintf("%s cluster %s records no Kubernetes API audit log", [k8s.label, input.cluster.name]),
	"path": "auditLogging",
	"evidence": false,
	"aliasPath": k8s.earlier_path({"eks": "logging/audit", "aks": "diagnosticSettings/logs"}),
} if {
	k8s.is_cluster(input)
	input.cluster.auditLogging == false
}
