# METADATA
# title: ECS containers mount no sensitive host paths
# description: >-
#   A bind mount of a task volume whose `host.sourcePath` is the host root, /etc, /proc, /sys,
#   /boot, /root, the Docker or containerd state (/var/lib/docker, /run/containerd) or the Docker
#   socket (/var/run/docker.sock, or the /var/run and /run directories that hold it) lets the
#   container read or control the host. Paths under the sensitive directories count too; read-only
#   mounts still fail. Volumes that no container mounts are not judged.
# custom:
#   id: ECS-009
#   severity: critical
#   kind: [workload]
#   applies:
#     provider: [aws]
#     platform: [ecs]
#   frameworks:
#     cis-docker-1.6: ["5.6", "5.32"]
#     nist-800-53-r5: ["AC-6"]
#     owasp-docker-top10: ["D05"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Replace the host bind mount with an ephemeral task volume, EFS or a Docker volume; for
#     container management use the ECS agent's APIs instead of the Docker socket.
package posture.rules.ecs_009

import data.posture.lib.aws
import rego.v1

# Sensitive as a whole: the path itself or anything under it.
sensitive_trees := {"/etc", "/proc", "/sys", "/boot", "/root", "/var/lib/docker", "/run/containerd", "/var/run/containerd"}

# Sensitive only as exactly this path (their children are ordinary).
sensitive_exact := {"/", "/var/run/docker.sock", "/run/docker.sock", "/var/run", "/run"}

violation contains {
	"msg": sprintf("container %s in task definition %s mounts host path %s at %s", [c.name, input.workload.name, host_path, m.path]),
	"path": sprintf("containers/%s/mounts/%s", [c.name, m.volume]),
	"evidence": {"volume": m.volume, "hostPath": host_path, "containerPath": m.path, "readOnly": object.get(m, "readOnly", false)},
} if {
	aws.is_ecs_workload(input)
	some c in input.workload.containers
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
