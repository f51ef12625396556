# METADATA
# title: Workloads use neither the host network nor host ports
# description: >-
#   The host network (ECS `networkMode: host`, Kubernetes `hostNetwork: true`) puts the containers in the
#   node's network namespace. A host port (ECS bridge-mode `portMappings[].hostPort`, Kubernetes
#   `ports[].hostPort`) binds a port on the node itself, as the Pod Security Standards' Host Ports control
#   forbids; on the host network every container port is one. Ports on an ECS awsvpc task's own network
#   interface are not host ports, and host port 0 (ECS dynamic mapping) is none. Privileged ports (below
#   1024) are listed separately in the evidence.
# custom:
#   id: WKL-004
#   aliases: [ECS-004]
#   severity: high
#   kind: [workload]
#   requires: [workload.hostNetwork, workload.containers.hostPorts]
#   frameworks:
#     k8s-pss: ["hostNamespaces", "hostPorts"]
#     cis-k8s-1.12: ["5.2.5", "5.2.12"]
#     nsa-cisa-k8s-1.2: ["pod-security/enforcement"]
#     cis-docker-1.6: ["5.10", "5.8"]
#     cis-eks-1.8: ["4.2.4"]
#     cis-aks-1.8: ["4.2.4"]
#     aws-fsbp: ["ECS.17"]
#     nist-800-53-r5: ["AC-2(1)", "AC-3", "AC-3(7)", "AC-3(15)", "AC-5", "AC-6"]
#     pci-dss-4.0: ["7.2.1", "7.2.2", "7.2.3"]
#     disa-k8s-stig: ["V-242414"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Use the awsvpc (or bridge) network mode instead of host on ECS, and drop `hostNetwork` on Kubernetes;
#     reach containers through a load balancer or a Service instead of host ports (ECS: host port 0 for a
#     dynamic port).
package posture.rules.wkl_004

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("%s uses the host network", [workload.label]),
	"path": network_path,
	"evidence": object.get(input.workload, "networkMode", "host"),
} if {
	workload.is_workload
	input.workload.hostNetwork == true
}

violation contains {
	"msg": sprintf("container %s in %s binds host ports %s", [c.name, workload.label, concat(", ", [sprintf("%d", [p]) | some p in ports])]),
	"path": workload.container_path(c, "hostPorts"),
	"evidence": {"ports": ports, "privileged": [p | some p in ports; p < 1024]},
} if {
	workload.is_workload
	some c in workload.containers
	ports := sort([p | some p in object.get(c, "hostPorts", []); p > 0])
	count(ports) > 0
}

# ECS findings keep the path they had as ECS-004, so their history carries over.
network_path := "hostNetwork" if workload.is_kubernetes

else := "networkMode"
