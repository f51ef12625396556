# Shared AKS test fixtures: one normalized cluster that passes every AKS rule, and helpers that override
# parts of it. Which ARM field (in which form) each normalized value comes from is the normalizer's
# business and is tested there (test/azure/normalize-aks.test.ts); these fixtures are what it produces.
package posture.rules.aks_fixtures_test

import rego.v1

config := {"kubernetes": {"minVersion": "1.31"}}

good_pool := {"name": "system", "enableEncryptionAtHost": true, "sshAccess": "Disabled"}

good_settings := {
	"entraId": true,
	"disableLocalAccounts": true,
	"defenderSensor": true,
	"diskEncryptionSetId": "/subscriptions/sub-1/resourceGroups/rg-shop/providers/Microsoft.Compute/diskEncryptionSets/des",
	"disableRunCommand": true,
	"azurePolicyAddon": true,
	"upgradeChannel": "patch",
	"nodeOSUpgradeChannel": "NodeImage",
	"identityType": "SystemAssigned",
	"servicePrincipalClientId": "msi",
	"agentPools": [good_pool],
}

good_cluster := {
	"distribution": "aks",
	"name": "aks-shop",
	"version": "1.32.2",
	"endpoint": {"public": false, "private": true, "allowedCidrs": []},
	"rbac": true,
	"networkPolicy": true,
	"secretsEncryption": {"enabled": true, "keyId": "https://kv-shop.vault.azure.net/keys/etcd/0123"},
	"auditLogging": true,
	"locations": ["westeurope"],
	"nodePools": [{
		"name": "system", "version": "1.32.2", "locations": ["westeurope-1", "westeurope-2"], "publicIp": false,
		"imageType": null, "serviceAccount": null, "autoUpgrade": null,
	}],
	"monitoring": true,
	"cloudRbac": true,
	"workloadIdentity": true,
	"aks": good_settings,
}

asset(cluster) := {
	"id": "azure://sub-1/westeurope/aks/rg-shop/aks-shop",
	"kind": "cluster",
	"provider": "azure",
	"account": "sub-1",
	"region": "westeurope",
	"jurisdiction": "EU",
	"tags": {},
	"collectedAt": "2026-01-01T00:00:00Z",
	"rawForm": "arm-rest",
	"raw": {"resource": {}},
	"cluster": cluster,
}

good := asset(good_cluster)

# The compliant cluster with its AKS settings overridden (deep-merged; a null value stays null: not set).
aks(overrides) := asset(object.union(good_cluster, {"aks": object.union(good_settings, overrides)}))

# The compliant cluster with its one agent pool built from the compliant pool plus `overrides`.
aks_pool(overrides) := aks({"agentPools": [object.union(good_pool, overrides)]})

# The compliant cluster with cross-cloud fields overridden.
normalized(overrides) := asset(object.union(good_cluster, overrides))

# Every compliant fixture passes every rule: a guard against fixtures that pass by accident.
test_fixture_is_compliant if {
	every rule in ["aks_003", "aks_004", "aks_006", "aks_008", "aks_010", "aks_011", "aks_013", "aks_014", "aks_015", "aks_016"] {
		count(data.posture.rules[rule].violation) == 0 with input as good with data.config as config
	}
}
