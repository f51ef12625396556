# METADATA
# title: Pods set a seccomp profile
# description: >-
#   The Pod Security Standards' Restricted profile requires every container to run under an explicit
#   seccomp profile, RuntimeDefault or Localhost (set on the container or the pod): Kubernetes runs
#   containers without one unless the kubelet's SeccompDefault is on. An Unconfined profile is judged by
#   WKL-025. Windows pods are exempt.
# custom:
#   id: WKL-034
#   severity: medium
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.containers]
#   frameworks:
#     k8s-pss: ["seccompProfile_restricted"]
#     cis-k8s-1.12: ["5.6.2"]
#     cis-gke-1.9: ["4.6.2"]
#     nsa-cisa-k8s-1.2: ["pod-security/container-environments"]
#   unverified: [nsa-cisa-k8s-1.2]
#   remediation: >-
#     Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod.
package posture.rules.wkl_034

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s runs without a seccomp profile", [c.name, workload.label]),
	"path": workload.container_path(c, "seccompProfile"),
	"evidence": null,
} if {
	workload.is_kubernetes
	not workload.is_windows
	some c in workload.containers
	c.seccompProfile == null
}
