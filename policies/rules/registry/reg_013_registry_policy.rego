# METADATA
# title: The ECR registry policy opens the registry to no one outside
# description: >-
#   The registry policy (GetRegistryPolicy) governs registry-wide actions such as replicating
#   images into this registry and creating repositories through replication or pull-through
#   cache. Fails when an Allow statement names every principal with no account or organization
#   condition, or names an account that is neither this one nor in residency.approvedAccounts.
#   A registry whose policy could not be read is not judged; no policy passes.
# custom:
#   id: REG-013
#   severity: high
#   kind: [registry]
#   applies:
#     provider: [aws]
#     service: [ecr-registry]
#   requires: [registry.policy]
#   frameworks:
#     cis-eks-1.8: ["5.1.2"]
#     nist-800-53-r5: ["AC-3", "AC-6"]
#     owasp-docker-top10: ["D08"]
#     nist-800-190: ["4.2.3"]
#   unverified: [cis-eks-1.8, nist-800-53-r5, owasp-docker-top10, nist-800-190]
#   remediation: >-
#     Narrow the statement to named source accounts (`aws ecr put-registry-policy`), add an
#     aws:PrincipalOrgID condition, or approve the account in residency.approvedAccounts.
package posture.rules.reg_013

import data.posture.lib.registry
import data.posture.lib.residency
import rego.v1

violation contains {
	"msg": sprintf("ECR registry %s in %s has a registry policy that allows every principal", [input.registry.name, input.region]),
	"path": "policy/public",
	"evidence": true,
} if {
	registry.is_ecr_registry
	input.registry.policy.public == true
}

violation contains {
	"msg": sprintf("ECR registry %s in %s has a registry policy that grants account %s, which is not approved", [input.registry.name, input.region, account]),
	"path": sprintf("policy/accounts/%s", [account]),
	"evidence": {"account": account},
} if {
	registry.is_ecr_registry
	some account in input.registry.policy.accounts
	not residency.account_approved(input, account)
}
