# Registry assets shared by the REG-* tests: one hardened registry per service, in the shapes the
# collectors produce (ECR DescribeRepositories + policy text, ACR normalized settings, Artifact Registry REST).
package posture.rules.registry_fixtures_test

import rego.v1

hardened := {
	"scanOnPush": true,
	"tagImmutable": true,
	"encryption": {"type": "KMS", "keyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
	"publicAccess": false,
	"adminUser": false,
	"lifecyclePolicy": true,
	"replicaLocations": [],
}

ecr_repository := {
	"repositoryArn": "arn:aws:ecr:eu-west-1:111122223333:repository/shop/api",
	"repositoryName": "shop/api",
	"imageTagMutability": "IMMUTABLE",
	"imageScanningConfiguration": {"scanOnPush": true},
	"encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
}

ecr(registry, raw) := {
	"id": "aws://111122223333/eu-west-1/ecr/repository/shop/api",
	"kind": "registry",
	"provider": "aws",
	"account": "111122223333",
	"region": "eu-west-1",
	"tags": {"data-classification": "restricted"},
	"rawForm": "aws-api",
	"registry": object.union(object.union(hardened, {"service": "ecr", "name": "shop/api", "uri": null}), registry),
	"raw": object.union({"repository": ecr_repository}, raw),
}

policy(statements) := json.marshal({"Version": "2012-10-17", "Statement": statements})

# ACR settings as the normalizer reads them from the registry resource (either ARM form; tested in
# test/azure): a Premium registry with no public network access, exports off and an approved private endpoint.
acr_settings := {
	"sku": "Premium",
	"anonymousPullEnabled": false,
	"publicNetworkAccess": "Disabled",
	"networkDefaultAction": "Deny",
	"exportPolicy": "disabled",
	"privateEndpointStates": ["Approved"],
}

# The hardened ACR registry with `registry` fields (and `registry.acr` settings in `settings`) overridden.
acr(registry, settings) := {
	"id": "azure://s/westeurope/acr/rg/shopacr",
	"kind": "registry",
	"provider": "azure",
	"account": "s",
	"region": "westeurope",
	"tags": {},
	"rawForm": "arm-rest",
	"registry": object.union(
		object.union(hardened, {"service": "acr", "name": "shopacr", "uri": "shopacr.azurecr.io", "acr": object.union(acr_settings, settings)}),
		registry,
	),
	"raw": {"resource": {}},
}

ar_repository := {
	"name": "projects/shop-prod/locations/europe-west1/repositories/images",
	"format": "DOCKER",
	"mode": "STANDARD_REPOSITORY",
	"dockerConfig": {"immutableTags": true},
	"kmsKeyName": "projects/shop-prod/locations/europe-west1/keyRings/r/cryptoKeys/k",
}

ar(registry, raw) := {
	"id": "gcp://shop-prod/europe-west1/artifactregistry/repository/images",
	"kind": "registry",
	"provider": "gcp",
	"account": "shop-prod",
	"region": "europe-west1",
	"tags": {},
	"rawForm": "gcp-api",
	"registry": object.union(object.union(hardened, {"service": "artifact-registry", "name": "images", "uri": "europe-west1-docker.pkg.dev/shop-prod/images"}), registry),
	"raw": object.union({"repository": ar_repository}, raw),
}

config := {
	"image": {"trustedRegistries": ["mirror.gcr.io", "*.dkr.ecr.*.amazonaws.com"]},
	"residency": {"tagKeys": ["data-classification"], "defaultClass": "restricted", "allowed": {"public": ["*"], "restricted": ["EU"]}},
}
