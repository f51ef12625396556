# METADATA
# title: Secrets reach containers as files, not environment variables
# description: >-
#   A secret injected as an environment variable (Kubernetes `env[].valueFrom.secretKeyRef` or
#   `envFrom[].secretRef`, ECS `secrets[]`) is visible to every process of the container, inherited by
#   child processes, and often printed by crash handlers and debug endpoints. Mounted as a file it can be
#   given narrow permissions and rotated in place. ECS tasks are not judged: their only built-in way to
#   hand a Secrets Manager or Parameter Store secret to a container is `secrets[]`, which WKL-006
#   recommends over plain values.
# custom:
#   id: WKL-043
#   severity: low
#   kind: [workload]
#   applies:
#     platform: [kubernetes]
#   requires: [workload.containers.secrets]
#   frameworks:
#     cis-k8s-1.12: ["5.4.1"]
#     nsa-cisa-k8s-1.2: ["network/secrets"]
#     cis-eks-1.8: ["4.4.1"]
#     cis-aks-1.8: ["4.5.1"]
#     cis-gke-1.9: ["4.4.1"]
#     disa-k8s-stig: ["V-242415"]
#   unverified: [disa-k8s-stig, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Mount the Secret as a volume and have the application read the file.
package posture.rules.wkl_043

import data.posture.lib.workload
import rego.v1

violation contains {
	"msg": sprintf("container %s in %s receives secrets as environment variables %s", [c.name, workload.label, concat(", ", names)]),
	"path": workload.container_path(c, "secrets"),
	"evidence": [s.source | some s in c.secrets],
} if {
	workload.is_kubernetes
	some c in workload.containers
	names := sort([s.name | some s in object.get(c, "secrets", [])])
	count(names) > 0
}
