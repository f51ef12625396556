# The platform's own namespaces (`kubernetes.systemNamespaces` in the configuration; by default the three
# every Kubernetes cluster creates: kube-system, kube-public, kube-node-lease). Rules that judge what a
# team runs in a namespace declare these "not applicable", with a reason, instead of passing them
# silently: an auditor sees that they were left out and why. Setting the list to [] judges them all.
package posture.lib.namespace

import rego.v1

default system_namespaces := ["kube-system", "kube-public", "kube-node-lease"]

system_namespaces := data.config.kubernetes.systemNamespaces

# The namespace asset under evaluation is one of the platform's own.
is_system if {
	input.kind == "namespace"
	input.namespace.name in system_namespaces
}

# The opening of every "not applicable" reason, naming where the list comes from.
system_reason := sprintf("%s is one of the platform's own namespaces (kubernetes.systemNamespaces)", [input.namespace.name])
