// Every AWS API action the collectors and the image reads call in a scanned account, as IAM action
// names: the worker's own role gets exactly these, and so must the scan role in each member account.
// All are reads; none of them can be scoped to resource ARNs that are unknown before listing.
export const awsReadActions = [
  // ECR: registry settings, repositories, images and their native scan results
  'ecr:GetAuthorizationToken',
  'ecr:DescribeRepositories',
  'ecr:DescribeImages',
  'ecr:DescribeImageScanFindings',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:GetRepositoryPolicy',
  'ecr:GetLifecyclePolicy',
  'ecr:DescribeRegistry',
  'ecr:GetRegistryScanningConfiguration',
  'ecr:GetRegistryPolicy',
  'ecr:DescribePullThroughCacheRules',
  'ecr:ListTagsForResource',
  // Amazon Inspector: enhanced scanning's findings for a pulled image (ListFindings cannot be scoped to a resource)
  'inspector2:ListFindings',
  // ECS: clusters with their capacity providers, services, task definitions
  'ecs:ListClusters',
  'ecs:DescribeClusters',
  'ecs:DescribeCapacityProviders',
  'ecs:ListServices',
  'ecs:DescribeServices',
  'ecs:ListTaskDefinitionFamilies',
  'ecs:DescribeTaskDefinition',
  'ecs:ListTagsForResource',
  // EKS: clusters, node groups, add-ons, pod identity associations
  'eks:ListClusters',
  'eks:DescribeCluster',
  'eks:ListNodegroups',
  'eks:DescribeNodegroup',
  'eks:ListAddons',
  'eks:DescribeAddon',
  'eks:ListPodIdentityAssociations',
  // Regions to sweep, node-group subnets (public IPs on launch), IRSA providers
  'ec2:DescribeRegions',
  'ec2:DescribeSubnets',
  'iam:ListOpenIDConnectProviders',
] as const;
