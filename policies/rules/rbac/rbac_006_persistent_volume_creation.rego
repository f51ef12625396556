# METADATA
# title: Bound roles do not create PersistentVolumes
# description: >-
#   A PersistentVolume can point at any path of a node (hostPath) or any storage backend; whoever may
#   create one can mount the node's file system into a pod through a claim, bypassing Pod Security's
#   hostPath control.
# custom:
#   id: RBAC-006
#   severity: medium
#   kind: [rbac-binding]
#   requires: [rbacBinding.role.rules]
#   frameworks:
#     cis-k8s-1.12: ["5.1.9"]
#     nsa-cisa-k8s-1.2: ["authz/rbac"]
#     cis-eks-1.8: ["4.1.9"]
#     cis-aks-1.8: ["4.1.8"]
#     cis-gke-1.9: ["4.1.9"]
#     nist-800-53-r5: ["AC-6"]
#   unverified: [nist-800-53-r5, nsa-cisa-k8s-1.2]
#   remediation: >-
#     Remove create on persistentvolumes; let users request storage with PersistentVolumeClaims and a
#     StorageClass.
package posture.rules.rbac_006

import data.posture.lib.rbac
import rego.v1

violation contains {
	"msg": sprintf("%s lets %s create PersistentVolumes (%s)", [rbac.label, rbac.subjects_text, concat("; ", [rbac.rule_text(r) | some r in granting])]),
	"path": "role/rules",
	"evidence": [rbac.rule_text(r) | some r in granting],
} if {
	rbac.is_binding
	not rbac.platform_binding
	count(granting) > 0
}

granting := rbac.granting(["create"], [""], ["persistentvolumes"])
