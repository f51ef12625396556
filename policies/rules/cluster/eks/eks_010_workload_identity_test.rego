package posture.rules.eks_010_test

import data.posture.rules.eks_010
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

irsa_provider := {"Arn": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C2F8A1E0B9D4C7E6F3A2B1C0D9E8F7A"}

other_provider := {"Arn": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0000000000000000000000000000AAAA"}

test_pod_identity_passes if {
	count(eks_010.violation) == 0 with input as fx.good
}

test_irsa_passes if {
	count(eks_010.violation) == 0 with input as fx.raw_keys({"podIdentityAssociations": [], "oidcProviders": [other_provider, irsa_provider]}, [])
}

test_neither_fails if {
	some v in eks_010.violation with input as fx.raw_keys({"podIdentityAssociations": [], "oidcProviders": [other_provider]}, [])
	v.path == "identity"
	v.evidence.oidcIssuer == fx.issuer
}

test_agent_addon_counts_when_associations_not_listed if {
	count(eks_010.violation) == 0 with input as fx.raw_keys({"oidcProviders": []}, ["podIdentityAssociations"])
	count(eks_010.violation) == 1 with input as fx.raw_keys({"oidcProviders": [], "addons": [fx.vpc_cni]}, ["podIdentityAssociations", "addons"])
}

test_providers_not_listed_is_silent if {
	count(eks_010.violation) == 0 with input as fx.raw_keys({"podIdentityAssociations": []}, ["oidcProviders"])
}
