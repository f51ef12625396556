# METADATA
# title: Windows pods run no HostProcess containers
# description: >-
#   A Windows HostProcess container (`securityContext.windowsOptions.hostProcess: true`, on the pod or a
#   container) runs directly on the node as a host process, with the node's network and file system:
#   privileged access to the Windows node, which the Pod Security Standards' Baseline forbids.
# custom:
#   id: WKL-020
#   severity: high
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.containers.windowsHostProcess]
#   frameworks:
#     k8s-pss: ["windowsHostProcess"]
#     cis-k8s-1.12: ["5.2.10"]
#     nsa-cisa-k8s-1.2: ["pod-security/enforcement"]
#   unverified: [nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove `windowsOptions.hostProcess: true`; run node agents that need the host as a DaemonSet in a
#     namespace that is exempted on purpose and reviewed.
package posture.rules.wkl_020

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s is a Windows HostProcess container", [c.name, workload.label]),
	"path": workload.container_path(c, "windowsOptions/hostProcess"),
	"evidence": true,
} if {
	workload.is_kubernetes
	some c in workload.containers
	c.windowsHostProcess == true
}
