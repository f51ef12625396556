# METADATA
# title: EKS pods get AWS credentials through IRSA or Pod Identity
# description: >-
#   Pods should assume IAM roles of their own (IAM roles for service accounts through the
#   cluster's OIDC provider, or EKS Pod Identity), not borrow the node's instance role. IRSA is
#   in use when an IAM OIDC provider (`raw.oidcProviders`, from iam:ListOpenIDConnectProviders)
#   matches `identity.oidc.issuer`; Pod Identity when `raw.podIdentityAssociations` (from
#   ListPodIdentityAssociations) is non-empty, or, when those were not listed, when the
#   eks-pod-identity-agent add-on is installed. Fails only when both mechanisms were checked and
#   neither is in use.
# custom:
#   id: EKS-010
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [raw.cluster, raw.oidcProviders]
#   frameworks:
#     cis-eks-1.8: ["5.2.1"]
#     nist-800-53-r5: ["AC-6"]
#     pci-dss-4.0: ["7.2.1"]
#     disa-k8s-stig: ["V-242381"]
#     owasp-docker-top10: ["D06"]
#     nist-800-190: ["4.3.1"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, disa-k8s-stig, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Install the eks-pod-identity-agent add-on and create pod identity associations, or create
#     the IAM OIDC provider for the cluster (`eksctl utils associate-iam-oidc-provider`) and annotate
#     service accounts with their role; keep the node role minimal.
package posture.rules.eks_010

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("EKS cluster %s uses neither IAM roles for service accounts nor EKS Pod Identity", [input.cluster.name]),
	"path": "identity",
	"evidence": {"oidcIssuer": issuer, "oidcProviderRegistered": false, "podIdentity": false},
} if {
	aws.is_eks(input)
	irsa_checked_absent
	pod_identity_checked_absent
	issuer := object.get(aws.eks_cluster(input), ["identity", "oidc", "issuer"], null)
}

irsa_checked_absent if {
	providers := aws.collected_list(input, "oidcProviders")
	not irsa_registered(providers)
}

# Provider ARNs end in the issuer without its scheme: …:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>.
irsa_registered(providers) if {
	issuer := aws.eks_cluster(input).identity.oidc.issuer
	is_string(issuer)
	suffix := concat("", ["oidc-provider/", trim_prefix(trim_suffix(issuer, "/"), "https://")])
	some provider in providers
	arn := provider_arn(provider)
	endswith(lower(arn), lower(suffix))
}

# IAM returns {Arn}; the SDK keeps that name, some exports lower-case it, a plain string is an ARN.
provider_arn(provider) := provider if is_string(provider)

provider_arn(provider) := object.get(provider, "Arn", object.get(provider, "arn", "")) if is_object(provider)

pod_identity_checked_absent if {
	associations := aws.collected_list(input, "podIdentityAssociations")
	count(associations) == 0
}

pod_identity_checked_absent if {
	not aws.collected_list(input, "podIdentityAssociations")
	addons := aws.collected_list(input, "addons")
	not agent_installed(addons)
}

agent_installed(addons) if {
	some a in addons
	a.addonName == "eks-pod-identity-agent"
}
