# Shared ECS task-definition fixtures: one workload that passes every ECS workload rule, with
# its normalized part and the DescribeTaskDefinition object it came from, plus override helpers.
package posture.rules.ecs_workload_fixtures_test

import rego.v1

digest := "sha256:4f1c0b7e9d2a3c5b6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5"

ecr := "123456789012.dkr.ecr.eu-west-1.amazonaws.com"

config := {
	"image": {"trustedRegistries": ["*.dkr.ecr.*.amazonaws.com", "ghcr.io/acme"]},
	"ecs": {"fargatePlatformVersions": {"linux": "1.4.0", "windows": "1.0.0"}},
}

good_container := {
	"name": "web",
	"image": sprintf("%s/shop/web@%s", [ecr, digest]),
	"privileged": false,
	"user": "1000:1000",
	"readOnlyRootFilesystem": true,
	"capabilities": {"add": [], "drop": ["ALL"]},
	"env": [{"name": "LOG_LEVEL", "value": "info"}],
	"secrets": [{"name": "DB_PASSWORD", "source": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-AbCdEf"}],
	"hostPorts": [],
	"mounts": [{"volume": "scratch", "path": "/tmp", "readOnly": false}],
	"logging": {"driver": "awslogs", "options": {"awslogs-group": "/ecs/web", "mode": "non-blocking"}},
	"memoryLimitMiB": 512,
	"role": "app",
	"imageDigest": null,
	"runAsUser": 1000,
	"runAsGroup": 1000,
	"runAsNonRoot": null,
	"allowPrivilegeEscalation": false,
	"seccompProfile": null,
	"appArmorProfile": null,
	"seLinuxOptions": null,
	"procMount": null,
	"windowsHostProcess": false,
	"devices": [],
	"probeHosts": [],
	"memoryRequestMiB": null,
	"cpuLimitMillicores": null,
	"cpuRequestMillicores": null,
}

good_workload := {
	"platform": "ecs",
	"name": "web",
	"revision": 12,
	"networkMode": "awsvpc",
	"hostNetwork": false,
	"hostPid": false,
	"hostIpc": false,
	"compatibilities": ["EC2", "FARGATE"],
	"osFamily": "LINUX",
	"memoryLimitMiB": 1024,
	"cpuLimitMillicores": 500,
	"hostUsers": true,
	"shareProcessNamespace": false,
	"sysctls": [],
	"supplementalGroups": [],
	"fsGroup": null,
	"containers": [good_container],
	"volumes": [{"name": "scratch", "source": "task", "hostPath": null}, {"name": "shared", "source": "efs", "hostPath": null}],
	"kubernetes": null,
}

good_definition := {
	"name": "web",
	"image": sprintf("%s/shop/web@%s", [ecr, digest]),
	"essential": true,
	"user": "1000:1000",
	"readonlyRootFilesystem": true,
	"linuxParameters": {"capabilities": {"drop": ["ALL"]}, "initProcessEnabled": true},
	"dockerSecurityOptions": ["no-new-privileges"],
	"portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
	"logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web", "mode": "non-blocking"}},
}

good_task_definition := {
	"taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:12",
	"family": "web",
	"revision": 12,
	"networkMode": "awsvpc",
	"requiresCompatibilities": ["FARGATE"],
	"runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"},
	"cpu": "512",
	"memory": "1024",
	"containerDefinitions": [good_definition],
	"volumes": [
		{"name": "scratch"},
		{
			"name": "shared",
			"efsVolumeConfiguration": {"fileSystemId": "fs-0123456789abcdef0", "transitEncryption": "ENABLED"},
		},
	],
	"status": "ACTIVE",
}

asset(workload_patch, td_patch) := {
	"id": "aws://123456789012/eu-west-1/ecs/task-definition/web:12",
	"kind": "workload",
	"provider": "aws",
	"account": "123456789012",
	"region": "eu-west-1",
	"jurisdiction": "EU",
	"tags": {},
	"rawForm": "aws-api",
	"workload": object.union(good_workload, workload_patch),
	"raw": {"taskDefinition": object.union(good_task_definition, td_patch)},
}

good := asset({}, {})

# The fixture with its one container changed (normalized part).
container(patch) := asset({"containers": [object.union(good_container, patch)]}, {})

# The fixture with its one container definition changed (raw part).
definition(patch) := asset({}, {"containerDefinitions": [object.union(good_definition, patch)]})
