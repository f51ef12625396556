# The private ECR registry of one account and region, normalized as the collector does from
# GetRegistryScanningConfiguration, DescribeRegistry, DescribePullThroughCacheRules and
# GetRegistryPolicy: hardened (every repository scanned on push, one authenticated upstream,
# a registry policy that names only the account itself).
package posture.rules.ecr_registry_fixtures_test

import rego.v1

account := "111122223333"

good_registry := {
	"service": "ecr-registry",
	"name": account,
	"uri": "111122223333.dkr.ecr.eu-west-1.amazonaws.com",
	"scanning": {
		"type": "ENHANCED",
		"rules": [{"frequency": "CONTINUOUS_SCAN", "filters": [{"filter": "*", "type": "WILDCARD"}]}],
		"coversAllRepositories": true,
	},
	"replication": {"rules": []},
	"pullThroughCache": [{
		"prefix": "quay",
		"upstream": "quay.io",
		"upstreamPrefix": null,
		"credentialArn": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-pullthroughcache/quay-AbCdEf",
	}],
	"policy": {"present": true, "public": false, "accounts": []},
}

asset(patch) := {
	"id": "aws://111122223333/eu-west-1/ecr/registry",
	"kind": "registry",
	"provider": "aws",
	"account": account,
	"region": "eu-west-1",
	"jurisdiction": "EU",
	"tags": {},
	"rawForm": "aws-api",
	"registry": object.union(good_registry, patch),
	"raw": {"registryId": account},
}

good := asset({})

config := {"image": {"trustedRegistries": ["quay.io", "public.ecr.aws/docker/library"]}, "residency": {"approvedAccounts": ["444455556666"]}}
