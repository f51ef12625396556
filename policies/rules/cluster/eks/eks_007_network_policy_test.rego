package posture.rules.eks_007_test

import data.posture.rules.eks_007
import data.posture.rules.eks_fixtures_test as fx
import rego.v1

cni(values) := object.union(fx.vpc_cni, {"configurationValues": values})

with_addons(addons) := fx.raw_keys({"addons": addons}, ["addons"])

test_vpc_cni_policy_passes if {
	count(eks_007.violation) == 0 with input as fx.good
}

test_cni_without_policy_fails if {
	some v in eks_007.violation with input as with_addons([cni("{\"env\":{\"ENABLE_PREFIX_DELEGATION\":\"true\"}}"), fx.pod_identity_agent])
	v.path == "addons/vpc-cni/configurationValues/enableNetworkPolicy"
	v.evidence.addons == ["eks-pod-identity-agent", "vpc-cni"]
}

test_boolean_flag_and_other_engines_pass if {
	count(eks_007.violation) == 0 with input as with_addons([cni("{\"enableNetworkPolicy\":true}")])
	count(eks_007.violation) == 0 with input as with_addons([cni(""), {"addonName": "cilium", "status": "ACTIVE"}])
}

test_absent_configuration_values_fail if {
	count(eks_007.violation) == 1 with input as with_addons([object.remove(fx.vpc_cni, ["configurationValues"])])
}

test_addons_not_collected_is_silent if {
	count(eks_007.violation) == 0 with input as fx.raw_keys({}, ["addons"])
}

test_yaml_configuration_values_are_read if {
	count(eks_007.violation) == 0 with input as with_addons([cni("enableNetworkPolicy: \"true\"\nnodeAgent:\n  enablePolicyEventLogs: \"true\"\n")])
	count(eks_007.violation) == 1 with input as with_addons([cni("enableNetworkPolicy: \"false\"\n")])
}
