# Shared ECS service fixtures: a service that passes every ECS service rule, with its
# DescribeServices element and the DescribeClusters element of its cluster.
package posture.rules.ecs_service_fixtures_test

import rego.v1

config := {"ecs": {"fargatePlatformVersions": {"linux": "1.4.0", "windows": "1.0.0"}}}

cluster_arn := "arn:aws:ecs:eu-west-1:123456789012:cluster/shop"

good_service := {
	"name": "web",
	"cluster": cluster_arn,
	"launchType": "FARGATE",
	"platformVersion": "LATEST",
	"publicIp": false,
	"execCommand": false,
	"taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12",
}

good_raw_service := {
	"serviceArn": "arn:aws:ecs:eu-west-1:123456789012:service/shop/web",
	"serviceName": "web",
	"clusterArn": cluster_arn,
	"launchType": "FARGATE",
	"platformVersion": "LATEST",
	"platformFamily": "Linux",
	"desiredCount": 2,
	"taskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12",
	"enableExecuteCommand": false,
	"networkConfiguration": {"awsvpcConfiguration": {
		"subnets": ["subnet-0a1b2c3d"],
		"securityGroups": ["sg-0a1b2c3d"],
		"assignPublicIp": "DISABLED",
	}},
	"status": "ACTIVE",
}

good_cluster := {
	"clusterArn": cluster_arn,
	"clusterName": "shop",
	"status": "ACTIVE",
	"settings": [{"name": "containerInsights", "value": "enhanced"}],
	"configuration": {"executeCommandConfiguration": {
		"kmsKeyId": "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
		"logging": "OVERRIDE",
		"logConfiguration": {"cloudWatchLogGroupName": "/ecs/exec", "cloudWatchEncryptionEnabled": true},
	}},
}

asset(service_patch, raw) := {
	"id": "aws://123456789012/eu-west-1/ecs/service/shop/web",
	"kind": "service",
	"provider": "aws",
	"account": "123456789012",
	"region": "eu-west-1",
	"jurisdiction": "EU",
	"tags": {},
	"rawForm": "aws-api",
	"service": object.union(good_service, service_patch),
	"raw": raw,
}

good := asset({}, {"service": good_raw_service, "cluster": good_cluster})

# The fixture with its raw DescribeServices element changed.
raw_service(patch) := asset({}, {"service": object.union(good_raw_service, patch), "cluster": good_cluster})

# The fixture with its cluster's DescribeClusters element replaced.
with_cluster(cluster) := asset({}, {"service": good_raw_service, "cluster": cluster})
