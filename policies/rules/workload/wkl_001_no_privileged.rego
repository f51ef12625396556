# METADATA
# title: Containers do not run privileged
# description: >-
#   A privileged container (ECS `privileged: true`, Kubernetes `securityContext.privileged: true`) gets
#   every capability and the host's devices, so a compromise of the container is a compromise of the
#   node. Every container counts, Kubernetes init and ephemeral containers included. Absent means false
#   (the API default on both platforms).
# custom:
#   id: WKL-001
#   aliases: [ECS-001]
#   severity: high
#   kind: [workload]
#   requires: [workload.containers.privileged]
#   frameworks:
#     k8s-pss: ["privileged"]
#     cis-k8s-1.12: ["5.2.2"]
#     nsa-cisa-k8s-1.2: ["pod-security/enforcement"]
#     cis-docker-1.6: ["5.5"]
#     cis-eks-1.8: ["4.2.1"]
#     cis-aks-1.8: ["4.2.1"]
#     aws-fsbp: ["ECS.4"]
#     nist-800-53-r5: ["AC-2(1)", "AC-3", "AC-3(7)", "AC-3(15)", "AC-5", "AC-6"]
#     pci-dss-4.0: ["7.2.1", "7.2.2", "7.2.3"]
#     disa-k8s-stig: ["V-242435"]
#     owasp-docker-top10: ["D04"]
#     nist-800-190: ["4.4.3"]
#   unverified: [cis-docker-1.6, disa-k8s-stig, owasp-docker-top10, nist-800-190, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove `privileged: true` (ECS container definition or Kubernetes securityContext) and grant only the
#     specific Linux capabilities the process needs.
package posture.rules.wkl_001

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s runs privileged", [c.name, workload.label]),
	"path": workload.container_path(c, "privileged"),
	"evidence": true,
} if {
	workload.is_workload
	some c in workload.containers
	object.get(c, "privileged", false) == true
}
