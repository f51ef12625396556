# METADATA
# title: Containers do not set user ID 0
# description: >-
#   The Pod Security Standards' Restricted profile forbids `runAsUser: 0` on the pod or a container; an
#   ECS `user` of `0` or `root` is the same thing. Unset passes here (WKL-003 and WKL-032 judge an unset
#   user). Pods in their own user namespace (`hostUsers: false`) are exempt from Kubernetes 1.35: UID 0
#   there maps to an unprivileged UID on the node.
# custom:
#   id: WKL-033
#   severity: high
#   kind: [workload]
#   requires: [workload.hostUsers]
#   frameworks:
#     k8s-pss: ["runAsUser"]
#     cis-k8s-1.12: ["5.2.7"]
#     nsa-cisa-k8s-1.2: ["pod-security/non-root-containers"]
#   unverified: [nsa-cisa-k8s-1.2]
#   remediation: >-
#     Set a non-zero `runAsUser` (ECS `user`), e.g. 10001, and make sure the image works as that user.
package posture.rules.wkl_033

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s sets user ID 0", [c.name, workload.label]),
	"path": workload.container_path(c, "runAsUser"),
	"evidence": 0,
} if {
	workload.is_workload
	not workload.in_user_namespace
	some c in workload.containers
	object.get(c, "runAsUser", null) == 0
}
