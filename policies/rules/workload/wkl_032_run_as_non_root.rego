# METADATA
# title: Pods require containers to run as non-root
# description: >-
#   The Pod Security Standards' Restricted profile requires `runAsNonRoot: true` for every container (set
#   on the container or the pod), so the kubelet refuses to start one whose user would be root, whatever
#   the image says. A UID alone does not count. Pods in their own user namespace (`hostUsers: false`) are
#   exempt from Kubernetes 1.35.
# custom:
#   id: WKL-032
#   severity: medium
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.hostUsers]
#   frameworks:
#     k8s-pss: ["runAsNonRoot"]
#     cis-k8s-1.12: ["5.2.7"]
#     nsa-cisa-k8s-1.2: ["pod-security/non-root-containers"]
#   unverified: [nsa-cisa-k8s-1.2]
#   remediation: >-
#     Set `securityContext.runAsNonRoot: true` on the pod (and not false on any container).
package posture.rules.wkl_032

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s does not require a non-root user (runAsNonRoot is %s)", [c.name, workload.label, shown(c.runAsNonRoot)]),
	"path": workload.container_path(c, "runAsNonRoot"),
	"evidence": c.runAsNonRoot,
} if {
	workload.is_kubernetes
	not workload.in_user_namespace
	some c in workload.containers
	c.runAsNonRoot != true
}

shown(value) := "unset" if value == null

else := "false"
