# METADATA
# title: EKS enforces Kubernetes network policies
# description: >-
#   NetworkPolicy objects have effect only when something enforces them: the VPC CNI add-on with
#   `enableNetworkPolicy` set in its `configurationValues` (JSON or YAML), or a Calico / Cilium add-on. Judged
#   when the cluster's add-ons (DescribeAddon) were collected, unless the normalized
#   `networkPolicy` already says true. An engine installed outside EKS add-ons (e.g. by Helm) is
#   not visible here; record an exception for it.
# custom:
#   id: EKS-007
#   severity: medium
#   kind: [cluster]
#   applies:
#     provider: [aws]
#     distribution: [eks]
#   requires: [raw.addons]
#   frameworks:
#     cis-eks-1.8: ["5.4.4"]
#     nist-800-53-r5: ["AC-4", "SC-7"]
#     pci-dss-4.0: ["1.3.1"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.3.3"]
#   unverified: [nist-800-53-r5, pci-dss-4.0, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Set `{"enableNetworkPolicy": "true"}` in the vpc-cni add-on's configuration values
#     (`aws eks update-addon --addon-name vpc-cni --configuration-values …`), then write
#     default-deny NetworkPolicies per namespace.
package posture.rules.eks_007

import data.posture.lib.aws
import rego.v1

violation contains {
	"msg": sprintf("EKS cluster %s has no network policy engine: NetworkPolicies are not enforced", [input.cluster.name]),
	"path": "addons/vpc-cni/configurationValues/enableNetworkPolicy",
	"evidence": {"addons": sort([name | some a in addons; name := object.get(a, "addonName", "")])},
} if {
	aws.is_eks(input)
	not object.get(input.cluster, "networkPolicy", null) == true
	addons := aws.collected_list(input, "addons")
	not enforced(addons)
}

enforced(addons) if {
	some a in addons
	a.addonName == "vpc-cni"
	is_string(a.configurationValues)
	yaml.is_valid(a.configurationValues)
	on(yaml.unmarshal(a.configurationValues).enableNetworkPolicy)
}

enforced(addons) if {
	some a in addons
	regex.match(`(?i)calico|cilium|tigera`, a.addonName)
}

# The add-on schema takes the string "true"; a JSON boolean is accepted as well.
on(flag) if flag == true

on(flag) if {
	is_string(flag)
	lower(trim_space(flag)) == "true"
}
