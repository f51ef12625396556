# METADATA
# title: Namespaces enforce a Pod Security Standard
# description: >-
#   The Pod Security Admission controller enforces a profile only in namespaces labelled
#   `pod-security.kubernetes.io/enforce: baseline` or `restricted`; without the label (or with
#   `privileged`, or with only audit or warn modes) any pod is admitted, privileged ones included. The
#   platform's own namespaces (`kubernetes.systemNamespaces` in the configuration, by default kube-system,
#   kube-public and kube-node-lease) are not applicable: their components need what the profiles refuse
#   (host network, privileged CNI and proxy pods), which is why Pod Security Admission lets an
#   administrator exempt namespaces and the Pod Security Standards leave system workloads to the
#   privileged profile. A cluster-wide admission default or another policy
#   engine (Gatekeeper, Kyverno) is not seen here.
# custom:
#   id: NS-002
#   severity: high
#   kind: [namespace]
#   requires: [namespace.podSecurity]
#   frameworks:
#     cis-k8s-1.12: ["5.2.1"]
#     nsa-cisa-k8s-1.2: ["pod-security/enforcement"]
#     cis-gke-1.9: ["4.2.1"]
#     nist-800-53-r5: ["CM-7"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Label the namespace `pod-security.kubernetes.io/enforce=restricted` (or `baseline` where workloads
#     cannot run restricted yet), after checking with the `warn` mode which pods would be refused.
package posture.rules.ns_002

import data.posture.lib.namespace
import rego.v1

not_applicable contains {"msg": sprintf("%s: its components need what the Pod Security profiles refuse", [namespace.system_reason])} if {
	namespace.is_system
}

violation contains {
	"msg": sprintf("namespace %s enforces no Pod Security Standard (%s)", [input.namespace.name, why]),
	"path": "labels/pod-security.kubernetes.io~1enforce",
	"evidence": input.namespace.podSecurity,
} if {
	input.kind == "namespace"
	not namespace.is_system
	level := object.get(input.namespace.podSecurity, ["enforce", "level"], null)
	not level in {"baseline", "restricted"}
	why := reason(level)
}

reason(null) := "no enforce label"

reason(level) := sprintf("enforce level %s", [level]) if level != null
