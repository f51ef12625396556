# AWS field access shared by the ECS and EKS rules: which assets they judge, and the raw API
# objects (DescribeTaskDefinition, DescribeServices/DescribeClusters, DescribeCluster) in AWS names.
# A raw key that is absent was not collected; rules that need it stay silent rather than guess.
package posture.lib.aws

import rego.v1

is_ecs_workload(asset) if {
	asset.kind == "workload"
	asset.workload.platform == "ecs"
}

is_ecs_service(asset) if asset.kind == "service"

is_ecs_cluster(asset) if {
	asset.kind == "cluster"
	asset.cluster.distribution == "ecs"
}

is_eks(asset) if {
	asset.kind == "cluster"
	asset.cluster.distribution == "eks"
}

# ---- ECS task definitions

task_definition(asset) := td if {
	td := asset.raw.taskDefinition
	is_object(td)
} else := {}

# The raw container definition behind a normalized container (matched by name), or {}.
container_definition(asset, name) := def if {
	some def in object.get(task_definition(asset), "containerDefinitions", [])
	def.name == name
} else := {}

# runtimePlatform.operatingSystemFamily: absent means LINUX.
is_windows(asset) if {
	family := asset.workload.osFamily
	is_string(family)
	startswith(upper(family), "WINDOWS")
}

# ---- ECS services and their cluster

# DescribeClusters element when it was collected with the service.
ecs_cluster(asset) := cluster if {
	cluster := asset.raw.cluster
	is_object(cluster)
}

service_name(asset) := asset.service.name

# Fargate either by launch type or through a FARGATE / FARGATE_SPOT capacity provider.
on_fargate(asset) if asset.service.launchType == "FARGATE"

on_fargate(asset) if {
	some item in object.get(asset, ["raw", "service", "capacityProviderStrategy"], [])
	item.capacityProvider in {"FARGATE", "FARGATE_SPOT"}
}

# Dotted numeric versions ("1.4.0") compared as one number; up to three parts of up to four
# digits each, a missing part counts as 0. Undefined when a version is not numeric.
version_at_least(version, minimum) if version_number(version) >= version_number(minimum)

version_number(version) := ((part(p, 0) * 100000000) + (part(p, 1) * 10000)) + part(p, 2) if {
	is_string(version)
	regex.match(`^v?\d{1,4}(\.\d{1,4}){0,2}$`, trim_space(version))
	p := [to_number(x) | some x in split(trim_prefix(trim_space(version), "v"), ".")]
}

part(parts, i) := parts[i] if i < count(parts)

else := 0

# ---- EKS

eks_cluster(asset) := cluster if {
	cluster := asset.raw.cluster
	is_object(cluster)
} else := {}

# A raw list that was collected (present and an array); undefined when it was not.
collected_list(asset, key) := list if {
	list := asset.raw[key]
	is_array(list)
}
