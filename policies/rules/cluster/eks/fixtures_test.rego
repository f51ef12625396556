# Shared EKS fixtures: a cluster that passes every EKS rule, normalized and as returned by
# DescribeCluster, DescribeNodegroup and DescribeAddon, plus override helpers.
package posture.rules.eks_fixtures_test

import rego.v1

config := {"kubernetes": {"minVersion": "1.31"}}

issuer := "https://oidc.eks.eu-west-1.amazonaws.com/id/5C2F8A1E0B9D4C7E6F3A2B1C0D9E8F7A"

good_pool := {
	"name": "general",
	"version": "1.32",
	"locations": ["eu-west-1a", "eu-west-1b"],
	"publicIp": false,
	"imageType": "AL2023_x86_64_STANDARD",
	"serviceAccount": null,
	"autoUpgrade": null,
}

good_cluster := {
	"distribution": "eks",
	"name": "shop",
	"version": "1.32",
	"endpoint": {"public": false, "private": true, "allowedCidrs": []},
	"rbac": true,
	"networkPolicy": null,
	"secretsEncryption": {"enabled": true, "keyId": "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"},
	"auditLogging": true,
	"locations": ["eu-west-1"],
	"nodePools": [good_pool],
}

good_raw_cluster := {
	"name": "shop",
	"arn": "arn:aws:eks:eu-west-1:123456789012:cluster/shop",
	"version": "1.32",
	"platformVersion": "eks.8",
	"status": "ACTIVE",
	"resourcesVpcConfig": {
		"subnetIds": ["subnet-0a1b2c3d", "subnet-1a2b3c4d"],
		"securityGroupIds": [],
		"vpcId": "vpc-0a1b2c3d",
		"endpointPublicAccess": false,
		"endpointPrivateAccess": true,
		"publicAccessCidrs": [],
	},
	"logging": {"clusterLogging": [
		{"types": ["api", "audit", "authenticator"], "enabled": true},
		{"types": ["controllerManager", "scheduler"], "enabled": false},
	]},
	"identity": {"oidc": {"issuer": issuer}},
	"encryptionConfig": [{
		"resources": ["secrets"],
		"provider": {"keyArn": "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"},
	}],
	"accessConfig": {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": false},
	"upgradePolicy": {"supportType": "STANDARD"},
}

good_nodegroup := {
	"nodegroupName": "general",
	"clusterName": "shop",
	"version": "1.32",
	"releaseVersion": "1.32.3-20250501",
	"subnets": ["subnet-0a1b2c3d"],
	"amiType": "AL2023_x86_64_STANDARD",
	"status": "ACTIVE",
}

vpc_cni := {
	"addonName": "vpc-cni",
	"clusterName": "shop",
	"addonVersion": "v1.19.2-eksbuild.1",
	"status": "ACTIVE",
	"configurationValues": "{\"enableNetworkPolicy\":\"true\"}",
}

pod_identity_agent := {"addonName": "eks-pod-identity-agent", "clusterName": "shop", "status": "ACTIVE"}

good_raw := {
	"cluster": good_raw_cluster,
	"nodegroups": [good_nodegroup],
	"addons": [vpc_cni, pod_identity_agent],
	"podIdentityAssociations": [{"associationId": "a-0123456789abcdef0", "namespace": "shop", "serviceAccount": "api"}],
	"oidcProviders": [],
}

asset(cluster_patch, raw) := {
	"id": "aws://123456789012/eu-west-1/eks/cluster/shop",
	"kind": "cluster",
	"provider": "aws",
	"account": "123456789012",
	"region": "eu-west-1",
	"jurisdiction": "EU",
	"tags": {},
	"rawForm": "aws-api",
	"cluster": object.union(good_cluster, cluster_patch),
	"raw": raw,
}

good := asset({}, good_raw)

# The fixture with its normalized cluster part changed.
normalized(patch) := asset(patch, good_raw)

# The fixture with its DescribeCluster object changed.
raw_cluster(patch) := asset({}, object.union(good_raw, {"cluster": object.union(good_raw_cluster, patch)}))

# The fixture with some raw keys replaced (e.g. addons, nodegroups) and others removed.
raw_keys(patch, removed) := asset({}, object.union(object.remove(good_raw, removed), patch))
