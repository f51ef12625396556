# METADATA
# title: EKS control-plane audit logging is on
# description: >-
#   The `audit` log type must be enabled in `logging.clusterLogging`, so every request to the
#   Kubernetes API is recorded in CloudWatch Logs. All control-plane log types are off by default.
# custom:
#   id: EKS-004
#   severity: high
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [cluster.auditLogging, raw.cluster]
#   frameworks:
#     cis-eks-1.8: ["2.1.1"]
#     aws-fsbp: ["EKS.8"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     pci-dss-4.0: ["10.2.1", "10.2.2", "10.3.1"]
#     disa-k8s-stig: ["V-242461", "V-242403"]
#     owasp-docker-top10: ["D10"]
#   unverified: [nist-800-53-r5, owasp-docker-top10]
#   remediation: >-
#     Enable the audit log type (ideally all five: api, audit, authenticator, controllerManager,
#     scheduler) with `aws eks update-cluster-config --logging …`.
package posture.rules.eks_004

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("EKS cluster %s does not send audit logs", [input.cluster.name]),
	"path": "logging/audit",
	"evidence": {"enabledTypes": enabled_types},
} if {
	aws.is_eks(input)
	not object.get(input.cluster, "auditLogging", false) == true
	not "audit" in enabled_types
}

enabled_types := sort([t |
	some entry in object.get(aws.eks_cluster(input), ["logging", "clusterLogging"], [])
	entry.enabled == true
	some t in entry.types
])
