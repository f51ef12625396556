# Shared ECS cluster fixtures: a cluster that passes every ECS cluster rule, normalized as the
# collector does from its DescribeClusters element (SETTINGS, CONFIGURATIONS, TAGS) and the
# DescribeCapacityProviders answer of its Auto Scaling group provider.
package posture.rules.ecs_cluster_fixtures_test

import rego.v1

cluster_arn := "arn:aws:ecs:eu-west-1:123456789012:cluster/shop"

kms_key := "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"

good_exec := {
	"logging": "OVERRIDE",
	"kmsKeyId": kms_key,
	"cloudWatchLogGroup": "/ecs/exec",
	"cloudWatchEncryption": true,
	"s3Bucket": null,
	"s3Encryption": false,
}

good_cluster := {
	"distribution": "ecs",
	"name": "shop",
	"status": "ACTIVE",
	"locations": ["eu-west-1"],
	"containerInsights": "enhanced",
	"executeCommand": good_exec,
	"execEnabledServices": ["web"],
	"storageKmsKeyIds": {"managedStorage": null, "fargateEphemeralStorage": null},
	"capacityProviders": [
		{"name": "FARGATE", "fargate": true, "managedTerminationProtection": null, "managedScaling": null},
		{"name": "shop-asg", "fargate": false, "managedTerminationProtection": true, "managedScaling": true},
	],
	"activeServices": 1,
	"runningTasks": 2,
}

good_raw_cluster := {
	"clusterArn": cluster_arn,
	"clusterName": "shop",
	"status": "ACTIVE",
	"activeServicesCount": 1,
	"runningTasksCount": 2,
	"settings": [{"name": "containerInsights", "value": "enhanced"}],
	"capacityProviders": ["FARGATE", "shop-asg"],
	"configuration": {"executeCommandConfiguration": {
		"kmsKeyId": kms_key,
		"logging": "OVERRIDE",
		"logConfiguration": {"cloudWatchLogGroupName": "/ecs/exec", "cloudWatchEncryptionEnabled": true},
	}},
	"tags": [{"key": "data-classification", "value": "internal"}],
}

asset(patch) := {
	"id": "aws://123456789012/eu-west-1/ecs/cluster/shop",
	"kind": "cluster",
	"provider": "aws",
	"account": "123456789012",
	"region": "eu-west-1",
	"jurisdiction": "EU",
	"tags": {"data-classification": "internal"},
	"rawForm": "aws-api",
	"cluster": object.union(good_cluster, patch),
	"raw": {"cluster": good_raw_cluster, "include": ["SETTINGS", "CONFIGURATIONS", "TAGS"]},
}

good := asset({})

# The fixture with its execute-command configuration changed.
exec(patch) := asset({"executeCommand": object.union(good_exec, patch)})
