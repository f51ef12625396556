# METADATA
# title: Every namespace has a network policy
# description: >-
#   Without a NetworkPolicy, every pod of the namespace accepts traffic from every pod of the cluster and
#   may reach all of them: one compromised pod can talk to everything. A namespace passes with at least
#   one NetworkPolicy (a default-deny policy selecting all pods is the usual start). Whether the CNI
#   enforces NetworkPolicies is a cluster setting, judged by the cluster rules. The platform's own
#   namespaces (`kubernetes.systemNamespaces`, by default kube-system, kube-public and kube-node-lease)
#   are not applicable: kube-public and kube-node-lease hold no pods by design (a published ConfigMap,
#   the nodes' Lease objects), and kube-system runs the cluster's own components (DNS, the CNI, the
#   proxy), whose traffic the distribution manages and which a default-deny policy would cut off. Set
#   the list to [] to judge them too (CIS 5.3.2 reads "all namespaces").
# custom:
#   id: NS-001
#   severity: medium
#   kind: [namespace]
#   requires: [namespace.networkPolicies]
#   frameworks:
#     cis-k8s-1.12: ["5.3.2"]
#     nsa-cisa-k8s-1.2: ["network/network-policies"]
#     cis-eks-1.8: ["4.3.2"]
#     cis-aks-1.8: ["4.4.2"]
#     cis-gke-1.9: ["4.3.2"]
#     nist-800-53-r5: ["SC-7"]
#     pci-dss-4.0: ["1.3.1"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Add a default-deny NetworkPolicy (`podSelector: {}` with policyTypes Ingress and Egress) to the
#     namespace, then policies that allow the traffic each workload needs.
package posture.rules.ns_001

import data.posture.lib.namespace
import rego.v1

not_applicable contains {"msg": sprintf("%s: its pods, if any, are the cluster's own components, whose network the distribution manages", [namespace.system_reason])} if {
	namespace.is_system
}

violation contains {
	"msg": sprintf("namespace %s has no network policy (%d workloads in it)", [input.namespace.name, input.namespace.workloads]),
	"path": "networkPolicies",
	"evidence": {"networkPolicies": 0, "workloads": input.namespace.workloads},
} if {
	input.kind == "namespace"
	not namespace.is_system
	count(input.namespace.networkPolicies) == 0
}
