# Shared GKE test fixtures: one cluster (REST JSON of projects.locations.clusters.get) that passes
# every GKE rule, and helpers that override parts of it. Written from the v1 Cluster reference.
package posture.rules.gke_fixtures_test

import rego.v1

config := {"kubernetes": {"minVersion": "1.31"}}

office := [{"displayName": "office", "cidrBlock": "203.0.113.0/24"}]

good_pool := {
	"name": "default-pool",
	"version": "1.32.2-gke.1182003",
	"locations": ["europe-west1-b", "europe-west1-c"],
	"config": {
		"machineType": "e2-standard-4",
		"imageType": "COS_CONTAINERD",
		"serviceAccount": "gke-nodes@shop-prod.iam.gserviceaccount.com",
		"oauthScopes": ["https://www.googleapis.com/auth/cloud-platform"],
		"metadata": {"disable-legacy-endpoints": "true"},
		"workloadMetadataConfig": {"mode": "GKE_METADATA"},
		"shieldedInstanceConfig": {"enableSecureBoot": true, "enableIntegrityMonitoring": true},
		"bootDiskKmsKey": "projects/shop-prod/locations/europe-west1/keyRings/gke/cryptoKeys/boot",
	},
	"management": {"autoUpgrade": true, "autoRepair": true},
}

good_cluster := {
	"name": "shop",
	"selfLink": "https://container.googleapis.com/v1/projects/shop-prod/locations/europe-west1/clusters/shop",
	"location": "europe-west1",
	"locations": ["europe-west1-b", "europe-west1-c"],
	"currentMasterVersion": "1.32.2-gke.1182003",
	"legacyAbac": {},
	"masterAuth": {"clientCertificateConfig": {}},
	"masterAuthorizedNetworksConfig": {"enabled": true, "cidrBlocks": office},
	"privateClusterConfig": {"enablePrivateNodes": true, "enablePrivateEndpoint": true},
	"controlPlaneEndpointsConfig": {"ipEndpointsConfig": {
		"enabled": true,
		"enablePublicEndpoint": false,
		"authorizedNetworksConfig": {"enabled": true, "cidrBlocks": office},
	}},
	"networkConfig": {"datapathProvider": "ADVANCED_DATAPATH", "defaultEnablePrivateNodes": true},
	"ipAllocationPolicy": {"useIpAliases": true},
	"databaseEncryption": {"state": "ENCRYPTED", "keyName": "projects/shop-prod/locations/europe-west1/keyRings/gke/cryptoKeys/etcd"},
	"loggingService": "logging.googleapis.com/kubernetes",
	"monitoringService": "monitoring.googleapis.com/kubernetes",
	"loggingConfig": {"componentConfig": {"enableComponents": ["SYSTEM_COMPONENTS", "WORKLOADS"]}},
	"releaseChannel": {"channel": "REGULAR"},
	"shieldedNodes": {"enabled": true},
	"workloadIdentityConfig": {"workloadPool": "shop-prod.svc.id.goog"},
	"binaryAuthorization": {"evaluationMode": "PROJECT_SINGLETON_POLICY_ENFORCE"},
	"securityPostureConfig": {"mode": "BASIC", "vulnerabilityMode": "VULNERABILITY_ENTERPRISE"},
	"addonsConfig": {"kubernetesDashboard": {"disabled": true}},
	"nodePools": [good_pool],
}

# The compliant cluster with `overrides` deep-merged (null removes a field for the rules).
gke(overrides) := asset(object.union(good_cluster, overrides))

# The compliant cluster with its one node pool built from the compliant pool plus `overrides`.
gke_pool(overrides) := gke({"nodePools": [object.union(good_pool, overrides)]})

# The compliant cluster without the named top-level fields (REST omits fields at their default).
without(fields) := asset(object.remove(good_cluster, fields))

asset(cluster) := {
	"id": "gcp://shop-prod/europe-west1/gke/shop",
	"kind": "cluster",
	"provider": "gcp",
	"account": "shop-prod",
	"region": "europe-west1",
	"jurisdiction": "EU",
	"tags": {},
	"collectedAt": "2026-01-01T00:00:00Z",
	"rawForm": "gcp-api",
	"raw": {"cluster": cluster},
	"cluster": {
		"distribution": "gke",
		"name": "shop",
		"version": object.get(cluster, "currentMasterVersion", null),
		"endpoint": {"public": false, "private": true, "allowedCidrs": []},
		"rbac": true,
		"networkPolicy": true,
		"secretsEncryption": {"enabled": true, "keyId": null},
		"auditLogging": true,
		"locations": ["europe-west1"],
		"nodePools": [],
	},
}

test_fixture_is_compliant if {
	every rule in [
		"gke_004", "gke_005", "gke_006", "gke_007", "gke_008", "gke_009", "gke_010", "gke_011",
		"gke_012", "gke_013", "gke_014", "gke_015",
	] {
		count(data.posture.rules[rule].violation) == 0 with input as gke({}) with data.config as config
	}
}
