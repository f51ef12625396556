# METADATA
# title: Registry allows no public or anonymous access
# description: >-
#   Fails for an ECR repository policy statement that allows every principal ("*" or
#   {"AWS":"*"}) without an aws:PrincipalAccount, aws:PrincipalOrgID, aws:PrincipalOrgPaths,
#   aws:SourceAccount or aws:SourceOrgID condition; an ACR registry with anonymous pull
#   enabled, or reachable from every network (public network access not Disabled and network
#   rule default action Allow, both API defaults); an Artifact Registry binding to allUsers or
#   allAuthenticatedUsers. When those raw documents were not collected, the normalized
#   publicAccess decides (null = unknown passes).
# custom:
#   id: REG-005
#   severity: critical
#   kind: [registry]
#   requires: [registry.publicAccess]
#   frameworks:
#     nist-800-53-r5: ["AC-4", "SC-7", "SC-7(3)"]
#     pci-dss-4.0: ["1.4.4"]
#     owasp-docker-top10: ["D03"]
#     nist-800-190: ["4.2.3"]
#   unverified: ["owasp-docker-top10", "nist-800-190"]
#   remediation: >-
#     ECR: limit the repository policy to named accounts or add an aws:PrincipalOrgID condition.
#     ACR: disable anonymous pull, set publicNetworkAccess Disabled or a Deny default network rule
#     with private endpoints. Artifact Registry: remove allUsers / allAuthenticatedUsers bindings.
package posture.rules.reg_005

import data.posture.lib.registry
import rego.v1

# Which raw document decides for this service; without it the normalized field does.
raw_decides if registry.ecr_policy_collected

raw_decides if registry.acr_settings

raw_decides if registry.ar_iam_collected

violation contains {
	"msg": sprintf("%s registry %s is publicly accessible", [registry.service, input.registry.name]),
	"path": "publicAccess",
	"evidence": {"publicAccess": true},
} if {
	registry.is_registry
	not raw_decides
	input.registry.publicAccess == true
}

violation contains {
	"msg": sprintf("ECR repository %s policy statement %s allows every AWS principal with no account or organization condition", [input.registry.name, entry.id]),
	"path": sprintf("policyText/Statement/%s", [entry.id]),
	"evidence": {"sid": entry.id, "principal": "*", "action": object.get(entry.statement, "Action", null)},
} if {
	registry.ecr_policy_collected
	some entry in registry.ecr_statements
	registry.allows(entry.statement)
	"*" in registry.aws_principals(entry.statement)
	not registry.narrowed(entry.statement)
}

violation contains {
	"msg": sprintf("ACR registry %s allows anonymous (unauthenticated) pull", [input.registry.name]),
	"path": "anonymousPullEnabled",
	"evidence": {"anonymousPullEnabled": true},
} if {
	registry.acr("anonymousPullEnabled", false) == true
}

violation contains {
	"msg": sprintf("ACR registry %s accepts connections from every network (publicNetworkAccess %s, default action %s)", [input.registry.name, public_network, default_action]),
	"path": "publicNetworkAccess",
	"evidence": {"publicNetworkAccess": public_network, "networkRuleSet.defaultAction": default_action},
} if {
	public_network := registry.acr("publicNetworkAccess", "Enabled")
	lower(public_network) != "disabled"
	default_action := registry.acr("networkDefaultAction", "Allow")
	lower(default_action) == "allow"
}

violation contains {
	"msg": sprintf("Artifact Registry repository %s grants %s to %s", [input.registry.name, binding.role, member]),
	"path": sprintf("iamPolicy/bindings/%s/%s", [binding.role, member]),
	"evidence": {"role": binding.role, "member": member},
} if {
	registry.ar_iam_collected
	some binding in registry.ar_bindings
	some member in object.get(binding, "members", [])
	member in registry.public_members
}
