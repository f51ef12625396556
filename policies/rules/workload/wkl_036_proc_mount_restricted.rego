# METADATA
# title: Containers keep the default /proc masks, also in a user namespace
# description: >-
#   The Pod Security Standards' Restricted profile requires the Default procMount even for pods in their
#   own user namespace, which Baseline exempts (Kubernetes 1.35). Outside a user namespace an unmasked
#   /proc is judged by WKL-024.
# custom:
#   id: WKL-036
#   severity: low
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.hostUsers]
#   frameworks:
#     k8s-pss: ["procMount_restricted"]
#   remediation: >-
#     Remove `procMount: Unmasked`.
package posture.rules.wkl_036

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s unmasks /proc (procMount %s) in a user namespace", [c.name, workload.label, c.procMount]),
	"path": workload.container_path(c, "procMount"),
	"evidence": c.procMount,
} if {
	workload.is_kubernetes
	workload.in_user_namespace
	some c in workload.containers
	is_string(c.procMount)
	c.procMount != "Default"
}
