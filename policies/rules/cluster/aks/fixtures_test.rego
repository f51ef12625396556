# Shared AKS test fixtures: one cluster that passes every AKS rule, in both raw forms, and
# helpers that override parts of it. Written from the ARM ManagedCluster reference.
package posture.rules.aks_fixtures_test

import rego.v1

config := {"kubernetes": {"minVersion": "1.31"}}

envelope := {
	"id": "/subscriptions/sub-1/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop",
	"name": "aks-shop",
	"type": "Microsoft.ContainerService/ManagedClusters",
	"location": "westeurope",
	"identity": {"type": "SystemAssigned"},
}

# Wire names, as under `properties` in ARM JSON.
good_properties := {
	"kubernetesVersion": "1.32.2",
	"currentKubernetesVersion": "1.32.2",
	"enableRBAC": true,
	"disableLocalAccounts": true,
	"aadProfile": {"managed": true, "enableAzureRBAC": true},
	"apiServerAccessProfile": {"enablePrivateCluster": true, "disableRunCommand": true},
	"networkProfile": {"networkPlugin": "azure", "networkPolicy": "cilium"},
	"addonProfiles": {"azurepolicy": {"enabled": true}},
	"securityProfile": {
		"defender": {"securityMonitoring": {"enabled": true}},
		"workloadIdentity": {"enabled": true},
		"azureKeyVaultKms": {"enabled": true, "keyId": "https://kv-shop.vault.azure.net/keys/etcd/0123"},
	},
	"oidcIssuerProfile": {"enabled": true},
	"autoUpgradeProfile": {"upgradeChannel": "patch", "nodeOSUpgradeChannel": "NodeImage"},
	"servicePrincipalProfile": {"clientId": "msi"},
	"diskEncryptionSetID": "/subscriptions/sub-1/resourceGroups/rg-shop/providers/Microsoft.Compute/diskEncryptionSets/des",
	"agentPoolProfiles": [good_pool],
}

good_pool := {
	"name": "system",
	"mode": "System",
	"orchestratorVersion": "1.32.2",
	"availabilityZones": ["1", "2"],
	"enableEncryptionAtHost": true,
	"enableNodePublicIP": false,
	"securityProfile": {"sshAccess": "Disabled"},
}

# The same cluster as @azure/arm-containerservice returns it: flattened, `enableRbac`, `enableAzureRbac`.
good_sdk := object.union(envelope, {
	"kubernetesVersion": "1.32.2",
	"currentKubernetesVersion": "1.32.2",
	"enableRbac": true,
	"disableLocalAccounts": true,
	"aadProfile": {"managed": true, "enableAzureRbac": true},
	"apiServerAccessProfile": {"enablePrivateCluster": true, "disableRunCommand": true},
	"networkProfile": {"networkPlugin": "azure", "networkPolicy": "cilium"},
	"addonProfiles": {"azurepolicy": {"enabled": true}},
	"securityProfile": {
		"defender": {"securityMonitoring": {"enabled": true}},
		"workloadIdentity": {"enabled": true},
		"azureKeyVaultKms": {"enabled": true, "keyId": "https://kv-shop.vault.azure.net/keys/etcd/0123"},
	},
	"oidcIssuerProfile": {"enabled": true},
	"autoUpgradeProfile": {"upgradeChannel": "patch", "nodeOSUpgradeChannel": "NodeImage"},
	"servicePrincipalProfile": {"clientId": "msi"},
	"diskEncryptionSetID": "/subscriptions/sub-1/resourceGroups/rg-shop/providers/Microsoft.Compute/diskEncryptionSets/des",
	"agentPoolProfiles": [good_pool],
})

# Wire form with `overrides` (wire names, deep-merged; null removes a field) applied.
rest(overrides) := asset("arm-rest", object.union(envelope, {"properties": object.union(good_properties, overrides)}))

# Wire form with top-level envelope fields (identity, location) overridden.
rest_envelope(overrides) := asset("arm-rest", object.union(object.union(envelope, overrides), {"properties": good_properties}))

# SDK form with `overrides` (SDK names, deep-merged) applied.
sdk(overrides) := asset("arm-sdk", object.union(good_sdk, overrides))

# Wire form with one agent pool built from the compliant pool plus `overrides`.
rest_pool(overrides) := rest({"agentPoolProfiles": [object.union(good_pool, overrides)]})

asset(form, resource) := {
	"id": "azure://sub-1/westeurope/aks/rg-shop/aks-shop",
	"kind": "cluster",
	"provider": "azure",
	"account": "sub-1",
	"region": "westeurope",
	"jurisdiction": "EU",
	"tags": {},
	"collectedAt": "2026-01-01T00:00:00Z",
	"rawForm": form,
	"raw": {"resource": resource},
	"cluster": {
		"distribution": "aks",
		"name": "aks-shop",
		"version": "1.32.2",
		"endpoint": {"public": false, "private": true, "allowedCidrs": []},
		"rbac": true,
		"networkPolicy": true,
		"secretsEncryption": {"enabled": true, "keyId": null},
		"auditLogging": false,
		"locations": ["westeurope"],
		"nodePools": [],
	},
}

# Every compliant fixture passes every rule: a guard against fixtures that pass by accident.
test_fixture_is_compliant_in_both_forms if {
	every form_asset in [rest({}), sdk({})] {
		every rule in ["aks_001", "aks_002", "aks_003", "aks_004", "aks_005", "aks_006", "aks_007", "aks_008", "aks_009", "aks_010", "aks_011", "aks_013", "aks_014"] {
			count(data.posture.rules[rule].violation) == 0 with input as form_asset with data.config as config
		}
	}
}
