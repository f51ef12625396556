# METADATA
# title: Workloads set only safe sysctls
# description: >-
#   A kernel parameter set for the workload (Kubernetes `securityContext.sysctls`, ECS `systemControls`)
#   must be one of the Pod Security Standards' safe set, which is namespaced and isolated between pods:
#   kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start,
#   net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports,
#   net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl,
#   net.ipv4.tcp_keepalive_probes, net.ipv4.tcp_rmem, net.ipv4.tcp_wmem,
#   net.ipv4.tcp_slow_start_after_idle and net.ipv4.tcp_notsent_lowat. Others can disable security
#   mechanisms or affect every workload on the node.
# custom:
#   id: WKL-026
#   severity: medium
#   kind: [workload]
#   requires: [workload.sysctls]
#   frameworks:
#     k8s-pss: ["sysctls"]
#   remediation: >-
#     Remove the sysctl, or set it on the node for the workloads that need it (and keep those on dedicated
#     nodes).
package posture.rules.wkl_026

import data.posture.lib.workload
import rego.v1

# The safe set of Pod Security Admission v0.37 (the newest additions arrived in Kubernetes 1.27 to 1.37).
safe := {
	"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
	"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat",
}

violation contains {
	"msg": sprintf("%s sets unsafe sysctls %s", [workload.label, concat(", ", unsafe)]),
	"path": "sysctls",
	"evidence": unsafe,
} if {
	workload.is_workload
	unsafe := sort([s.name | some s in object.get(input.workload, "sysctls", []); not s.name in safe])
	count(unsafe) > 0
}
