# METADATA
# title: Containers keep an AppArmor profile
# description: >-
#   An AppArmor profile of type Unconfined (Kubernetes `appArmorProfile.type`, the legacy
#   `container.apparmor.security.beta.kubernetes.io/<container>: unconfined` annotation, ECS
#   `dockerSecurityOptions: apparmor:unconfined`) switches off the mandatory access control the runtime
#   applies by default. RuntimeDefault and Localhost profiles pass, as does leaving it unset.
# custom:
#   id: WKL-022
#   aliases: [ECS-008]
#   severity: medium
#   kind: [workload]
#   requires: [workload.containers]
#   frameworks:
#     k8s-pss: ["appArmorProfile"]
#     nsa-cisa-k8s-1.2: ["pod-security/container-environments"]
#     cis-docker-1.6: ["5.2"]
#     nist-800-53-r5: ["SC-39"]
#   unverified: [cis-docker-1.6, nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove the unconfined AppArmor setting, or set `appArmorProfile.type: RuntimeDefault` (or a reviewed
#     Localhost profile).
package posture.rules.wkl_022

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s runs without AppArmor confinement", [c.name, workload.label]),
	"path": workload.container_path(c, "appArmorProfile"),
	# As ECS-008 the same problem was one finding on the container's dockerSecurityOptions.
	"aliasPath": workload.container_path(c, "dockerSecurityOptions"),
	"evidence": c.appArmorProfile.type,
} if {
	workload.is_workload
	some c in workload.containers
	lower(object.get(c, ["appArmorProfile", "type"], "")) == "unconfined"
}
