# METADATA
# title: Probes and lifecycle hooks do not name a host
# description: >-
#   A liveness, readiness or startup probe, or a postStart/preStop hook, with `httpGet.host` or
#   `tcpSocket.host` makes the kubelet connect to that address from the node: a pod author can point it at
#   the node's own services or the cloud metadata endpoint. The Pod Security Standards' Baseline forbids
#   the host field (Kubernetes 1.34 and later).
# custom:
#   id: WKL-027
#   severity: medium
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.containers.probeHosts]
#   frameworks:
#     k8s-pss: ["hostProbesAndHostLifecycle"]
#   remediation: >-
#     Remove `host` from the probe or hook so the kubelet checks the pod's own IP.
package posture.rules.wkl_027

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s has a %s pointing at host %s", [c.name, workload.label, p.handler, p.host]),
	"path": workload.container_path(c, p.handler),
	"evidence": p.host,
} if {
	workload.is_kubernetes
	some c in workload.containers
	some p in object.get(c, "probeHosts", [])
}
