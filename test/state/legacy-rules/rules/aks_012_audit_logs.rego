# METADATA
# title: AKS control-plane audit logs exported
# description: >-
#   A diagnostic setting on the managed cluster must export the Kubernetes audit log
#   (`kube-audit` or `kube-audit-admin`, or the `audit` / `allLogs` category group). Judged only
#   when diagnostic settings were collected.
# custom:
#   id: AKS-012
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [azure]
#     distribution: [aks]
#   requires: [raw.resource, raw.diagnosticSettings]
#   frameworks:
#     cis-aks-1.8: ["2.1.1"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     pci-dss-4.0: ["10.2.1.2", "10.4.2.1"]
#     disa-k8s-stig: ["V-242461", "V-242403"]
#     owasp-docker-top10: ["D10"]
#   unverified: [nist-800-53-r5, owasp-docker-top10]
#   remediation: >-
#     Add a diagnostic setting that sends kube-audit-admin (or kube-audit) to a Log Analytics
#     workspace or storage account (`az monitor diagnostic-settings create --logs ...`).
package posture.rules.aks_012

import data.posture.lib.azure
import rego.v1

audit_categories := {"kube-audit", "kube-audit-admin"}

audit_groups := {"audit", "alllogs"}

violation contains {
	"msg": sprintf("AKS cluster %s exports no Kubernetes audit log (no diagnostic setting enables kube-audit or kube-audit-admin)", [input.cluster.name]),
	"path": "diagnosticSettings/logs",
	"evidence": {"diagnosticSettings": count(azure.diagnostic_settings(input))},
} if {
	azure.is_aks(input)
	collected
	not audit_exported
}

# `raw.diagnosticSettings` absent = not collected (nothing to judge); null = collected, none exist.
collected if _ = input.raw.diagnosticSettings

audit_exported if {
	some setting in azure.diagnostic_settings(input)
	some entry in azure.setting_logs(setting)
	azure.sub(entry, ["enabled"], false) == true
	audit_entry(entry)
}

audit_entry(entry) if lower(azure.sub(entry, ["category"], "")) in audit_categories

audit_entry(entry) if lower(azure.sub(entry, ["categoryGroup"], "")) in audit_groups
