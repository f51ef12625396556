# METADATA
# title: Bound roles do not create pods
# description: >-
#   Whoever can create pods, directly or through a controller that creates them (Deployments, ReplicaSets,
#   StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers), can run any image with any service
#   account of the namespace and mount its secrets, and without Pod Security admission can run privileged.
# custom:
#   id: RBAC-004
#   severity: medium
#   kind: [rbac-binding]
#   requires: [rbacBinding.role.rules]
#   frameworks:
#     cis-k8s-1.12: ["5.1.4"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-eks-1.8: ["4.1.4"]
#     cis-aks-1.8: ["4.1.4"]
#     cis-gke-1.9: ["4.1.4"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Grant create on pods and workload controllers only to deployment pipelines and operators that need it,
#     and enforce Pod Security admission in their namespaces.
package posture.rules.rbac_004

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s lets %s create pods (%s)", [rbac.label, rbac.subjects_text, concat("; ", [rbac.rule_text(r) | some r in granting])]),
	"path": "role/rules",
	"evidence": [rbac.rule_text(r) | some r in granting],
} if {
	rbac.is_binding
	not rbac.platform_binding
	count(granting) > 0
}

granting := [r | some r in rbac.granting(["create"], ["", "apps", "batch"], ["pods", "deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs", "replicationcontrollers"]); true]
