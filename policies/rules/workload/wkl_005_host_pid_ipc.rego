# METADATA
# title: Workloads share neither the host PID nor the host IPC namespace
# description: >-
#   The host PID namespace (ECS `pidMode: host`, Kubernetes `hostPID: true`) lets the containers see and
#   signal every process on the node; the host IPC namespace (`ipcMode: host`, `hostIPC: true`) shares the
#   node's shared memory and semaphores. Absent means private namespaces (the API default on both).
# custom:
#   id: WKL-005
#   aliases: [ECS-005]
#   severity: high
#   kind: [workload]
#   requires: [workload.hostPid, workload.hostIpc]
#   frameworks:
#     k8s-pss: ["hostNamespaces"]
#     cis-k8s-1.12: ["5.2.3", "5.2.4"]
#     nsa-cisa-k8s-1.2: ["pod-security/enforcement"]
#     cis-docker-1.6: ["5.16", "5.17"]
#     cis-eks-1.8: ["4.2.2", "4.2.3"]
#     cis-aks-1.8: ["4.2.2", "4.2.3"]
#     aws-fsbp: ["ECS.3"]
#     nist-800-53-r5: ["CA-9(1)", "CM-2"]
#     pci-dss-4.0: ["1.4.5"]
#     owasp-docker-top10: ["D05"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove `pidMode: host` / `ipcMode: host` from the task definition (use `task` when containers of one
#     task must share a namespace), or `hostPID` / `hostIPC` from the pod spec.
package posture.rules.wkl_005

import data.posture.lib.workload
import rego.v1

# Finding paths: ECS keeps the task-definition field names it had as ECS-005, Kubernetes uses the pod's.
namespaces := [
	{"flag": "hostPid", "ecs": "pidMode", "k8s": "hostPID", "what": "PID"},
	{"flag": "hostIpc", "ecs": "ipcMode", "k8s": "hostIPC", "what": "IPC"},
]

violation contains {
	"msg": sprintf("%s shares the host %s namespace", [workload.label, ns.what]),
	"path": path(ns),
	"evidence": "host",
} if {
	workload.is_workload
	some ns in namespaces
	object.get(input.workload, ns.flag, false) == true
}

path(ns) := ns.k8s if workload.is_kubernetes

else := ns.ecs
