# METADATA
# title: Containers add no capabilities beyond the runtime's default set
# description: >-
#   Adding a Linux capability outside the container runtime's default set (AUDIT_WRITE, CHOWN,
#   DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID,
#   SYS_CHROOT) widens what a compromised process can do to the node: SYS_ADMIN, NET_ADMIN, SYS_PTRACE,
#   SYS_MODULE, NET_RAW, BPF, ALL and the like. Read from ECS `linuxParameters.capabilities.add` and
#   Kubernetes `securityContext.capabilities.add`; names compare without a `CAP_` prefix and case.
# custom:
#   id: WKL-008
#   aliases: [ECS-008]
#   severity: high
#   kind: [workload]
#   requires: [workload.containers.capabilities]
#   frameworks:
#     k8s-pss: ["capabilities_baseline", "capabilities_restricted"]
#     nsa-cisa-k8s-1.2: ["pod-security/enforcement"]
#     cis-docker-1.6: ["5.4"]
#     nist-800-53-r5: ["AC-6", "SC-39"]
#     pci-dss-4.0: ["2.2.1"]
#     owasp-docker-top10: ["D04"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove the added capabilities; if the process must bind a low port add back only NET_BIND_SERVICE,
#     and drop ALL the rest.
package posture.rules.wkl_008

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s adds kernel capabilities %s", [c.name, workload.label, concat(", ", caps)]),
	"path": workload.container_path(c, "capabilities/add"),
	"evidence": caps,
} if {
	workload.is_workload
	some c in workload.containers
	caps := sort([cap |
		some added in object.get(c, ["capabilities", "add"], [])
		cap := workload.capability(added)
		not cap in workload.default_capabilities
	])
	count(caps) > 0
}
