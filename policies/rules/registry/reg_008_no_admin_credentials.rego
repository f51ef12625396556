# METADATA
# title: Registry has no shared admin credentials
# description: >-
#   A shared admin user cannot be attributed to a person and is rarely rotated. Fails when the
#   registry's admin user is enabled (ACR adminUserEnabled). Services without an admin user
#   report false; unknown (null) passes.
# custom:
#   id: REG-008
#   severity: high
#   kind: [registry]
#   applies:
#     service: [acr]
#   requires: [registry.adminUser]
#   frameworks:
#     cis-aks-1.8: ["5.1.2"]
#     nist-800-53-r5: ["AC-2", "IA-2"]
#     pci-dss-4.0: ["8.2.2"]
#     nist-800-190: ["4.2.3"]
#   unverified: ["cis-aks-1.8", "nist-800-53-r5", "pci-dss-4.0", "nist-800-190"]
#   remediation: >-
#     Disable the admin user (`az acr update --admin-enabled false`) and give people and
#     pipelines their own Entra ID identities with AcrPull / AcrPush role assignments.
package posture.rules.reg_008

import data.posture.lib.registry
import rego.v1

violation contains {
	"msg": sprintf("%s registry %s has its shared admin user enabled", [registry.service, input.registry.name]),
	"path": "adminUser",
	"evidence": {"adminUser": true},
} if {
	registry.is_registry
	input.registry.adminUser == true
}
