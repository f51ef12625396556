# METADATA
# title: Containers mount no sensitive host paths
# description: >-
#   A host path (ECS task volume `host.sourcePath`, Kubernetes `hostPath` volume) that is the host root,
#   /etc, /proc, /sys, /dev, /boot, /root, the container runtime's or kubelet's state (/var/lib/docker,
#   /var/lib/containerd, /var/lib/kubelet, /run/containerd, /run/crio) or the Docker socket
#   (/var/run/docker.sock, or the /var/run and /run directories that hold it) lets the container read or
#   control the node. Paths under the sensitive directories count too; read-only mounts still fail.
#   Volumes that no container mounts are not judged.
# custom:
#   id: WKL-009
#   aliases: [ECS-009]
#   severity: critical
#   kind: [workload]
#   requires: [workload.volumes, workload.containers.mounts]
#   frameworks:
#     nsa-cisa-k8s-1.2: ["pod-security/enforcement"]
#     cis-docker-1.6: ["5.6", "5.32"]
#     nist-800-53-r5: ["AC-6"]
#     owasp-docker-top10: ["D05"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Replace the host mount with an ephemeral volume (ECS task volume, Kubernetes emptyDir), EFS or a
#     persistent volume; for container management use the orchestrator's APIs instead of the runtime socket.
package posture.rules.wkl_009

import data.posture.lib.workload
import rego.v1

# Sensitive as a whole: the path itself or anything under it.
sensitive_trees := {
	"/etc", "/proc", "/sys", "/dev", "/boot", "/root",
	"/var/lib/docker", "/var/lib/containerd", "/var/lib/kubelet",
	"/run/containerd", "/var/run/containerd", "/run/crio", "/var/run/crio",
}

# Sensitive only as exactly this path (their children are ordinary).
sensitive_exact := {"/", "/var/run/docker.sock", "/run/docker.sock", "/var/run", "/run"}

violation contains {
	"msg": sprintf("container %s in %s mounts host path %s at %s", [c.name, workload.label, host_path, m.path]),
	"path": sprintf("containers/%s/mounts/%s", [c.name, m.volume]),
	"evidence": {"volume": m.volume, "hostPath": host_path, "containerPath": m.path, "readOnly": object.get(m, "readOnly", false)},
} if {
	workload.is_workload
	some c in workload.containers
	some m in object.get(c, "mounts", [])
	some vol in input.workload.volumes
	vol.name == m.volume
	host_path := vol.hostPath
	is_string(host_path)
	sensitive(clean(host_path))
}

clean(p) := "/" if regex.match(`^/+$`, trim_space(p))

else := trim_right(trim_space(p), "/")

sensitive(p) if p in sensitive_exact

sensitive(p) if p in sensitive_trees

sensitive(p) if {
	some tree in sensitive_trees
	startswith(p, concat("", [tree, "/"]))
}
