# Shared fixtures for the cross-cloud cluster rules: one normalized cluster per distribution that passes
# every CLU rule (the fields the EKS, AKS and GKE normalizers produce), and helpers that override parts.
package posture.rules.clu_fixtures_test

import rego.v1

config := {"kubernetes": {"minVersion": "1.31"}}

pool(name, version) := {
	"name": name,
	"version": version,
	"locations": [],
	"publicIp": false,
	"imageType": null,
	"serviceAccount": null,
	"autoUpgrade": null,
}

good_cluster(distribution) := {
	"distribution": distribution,
	"name": "shop",
	"version": "1.32",
	"endpoint": {"public": false, "private": true, "allowedCidrs": [], "privateAllowedCidrs": private_cidrs[distribution]},
	"rbac": true,
	"networkPolicy": true,
	"secretsEncryption": {"enabled": true, "keyId": "key"},
	"auditLogging": true,
	"locations": ["eu"],
	"nodePools": [pool("general", "1.32")],
	"workloadIdentity": true,
}

# GKE filters its private endpoint by authorized networks; EKS and AKS have no such filter.
private_cidrs := {"eks": null, "aks": null, "gke": ["10.0.0.0/8"]}

provider := {"eks": "aws", "aks": "azure", "gke": "gcp"}

# A cluster of `distribution` with its normalized part deep-merged with `patch` (null removes nothing:
# it stays null, which is what a normalizer writes for "not collected").
cluster(distribution, patch) := {
	"id": sprintf("%s://acct/eu/%s/shop", [provider[distribution], distribution]),
	"kind": "cluster",
	"provider": provider[distribution],
	"account": "acct",
	"region": "eu",
	"jurisdiction": "EU",
	"tags": {},
	"rawForm": "aws-api",
	"raw": {},
	"cluster": object.union(good_cluster(distribution), patch),
}

distributions := ["eks", "aks", "gke"]

# Every compliant fixture passes every CLU rule.
test_fixtures_are_compliant if {
	every d in distributions {
		every rule in ["clu_001", "clu_002", "clu_003", "clu_004", "clu_005", "clu_006", "clu_007", "clu_008"] {
			count(data.posture.rules[rule].violation) == 0 with input as cluster(d, {}) with data.config as config
		}
	}
}

# An ECS cluster has none of the Kubernetes fields and is never judged by them.
test_ecs_clusters_are_not_judged if {
	ecs := {"kind": "cluster", "provider": "aws", "cluster": {"distribution": "ecs", "name": "shop"}, "raw": {}}
	every rule in ["clu_001", "clu_002", "clu_003", "clu_004", "clu_005", "clu_006", "clu_007", "clu_008"] {
		count(data.posture.rules[rule].violation) == 0 with input as ecs with data.config as config
	}
}
