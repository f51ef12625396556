# METADATA
# title: ConfigMaps hold no credentials
# description: >-
#   ConfigMaps are stored unencrypted and readable by everyone who may read configuration, which is far
#   wider than who may read Secrets. A ConfigMap value that matches a credential format (private key, AWS
#   key, GitHub/GitLab/Slack/Stripe/npm token, Google API key, service-account JSON, storage account key),
#   or a literal value under a key named like a password, token or API key, fails. Evidence names the
#   ConfigMap, key and pattern with a redacted hint, never the value.
# custom:
#   id: NS-004
#   severity: high
#   kind: [namespace]
#   requires: [namespace.configMapSecrets]
#   frameworks:
#     nsa-cisa-k8s-1.2: ["network/secrets"]
#     nist-800-53-r5: ["IA-5(7)"]
#     pci-dss-4.0: ["8.6.2"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Rotate the credential, move it to a Secret (with encryption at rest) or an external secret store,
#     and reference it from the workload instead of the ConfigMap.
package posture.rules.ns_004

import rego.v1

violation contains {
	"msg": sprintf("ConfigMap %s/%s holds a credential under key %s (%s)", [input.namespace.name, m.configMap, m.key, m.rule]),
	"path": sprintf("configMaps/%s/%s", [m.configMap, m.key]),
	"evidence": {"configMap": m.configMap, "key": m.key, "matched": m.rule, "hint": m.hint},
} if {
	input.kind == "namespace"
	some m in input.namespace.configMapSecrets
}
