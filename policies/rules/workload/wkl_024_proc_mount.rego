# METADATA
# title: Containers keep the default /proc masks
# description: >-
#   `procMount: Unmasked` removes the masks and read-only paths the runtime puts on /proc, exposing kernel
#   interfaces to the container. The Pod Security Standards' Baseline allows it only in a pod with its own
#   user namespace (`hostUsers: false`), where /proc belongs to that namespace.
# custom:
#   id: WKL-024
#   severity: medium
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.hostUsers]
#   frameworks:
#     k8s-pss: ["procMount", "procMount_restricted"]
#   remediation: >-
#     Remove `procMount: Unmasked` (or run the pod in a user namespace with `hostUsers: false`).
package posture.rules.wkl_024

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s unmasks /proc (procMount %s)", [c.name, workload.label, c.procMount]),
	"path": workload.container_path(c, "procMount"),
	"evidence": c.procMount,
} if {
	workload.is_kubernetes
	not workload.in_user_namespace
	some c in workload.containers
	is_string(c.procMount)
	c.procMount != "Default"
}
