// docs/coverage.md claims a posture rule covers a Prowler check. Here each such claim is shown: the
// misconfiguration the Prowler check targets (read from its source: which API field, which value fails)
// is planted in an API answer written from the provider's reference, turned into an asset by the real
// normalizer, and judged by the compiled Wasm bundle. Each mapped rule must fire on the plant and stay
// silent on its fixed twin, so the firing is owed to the planted setting and nothing else.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type Asset, type ImageAsset, type ImageContents } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { Engine } from '../../policies/engine.ts';
import { normalizeEcrRegistry } from '../../providers/aws/normalize/ecr-registry.ts';
import { normalizeEcrRepository } from '../../providers/aws/normalize/ecr-repository.ts';
import { normalizeEcsCluster } from '../../providers/aws/normalize/ecs-cluster.ts';
import { normalizeService } from '../../providers/aws/normalize/ecs-service.ts';
import { normalizeTaskDefinition } from '../../providers/aws/normalize/ecs-task-definition.ts';
import { normalizeEksCluster } from '../../providers/aws/normalize/eks-cluster.ts';
import { normalizeAcrRegistry } from '../../providers/azure/normalize-acr.ts';
import { normalizeAksCluster } from '../../providers/azure/normalize-aks.ts';
import { normalizeArtifactRegistryRepository } from '../../providers/gcp/normalize-artifact-registry.ts';
import { normalizeGkeCluster } from '../../providers/gcp/normalize-gke.ts';
import { buildImageAsset } from '../../providers/oci/build-asset.ts';
import type { ImageConfig, ImageManifest } from '../../providers/oci/manifest.ts';
import { loadMapping, loadSnapshot } from '../../scripts/coverage/gen-coverage-doc.ts';
import { fromEcrBasic, mergeNative } from '../../vulns/native/findings.ts';

const now = new Date('2026-11-01T00:00:00Z');
const ctx = { collectedAt: now.toISOString(), source: 'prowler-parity' };
const account = '123456789012';
const region = 'eu-west-1';
const kmsKey = `arn:aws:kms:${region}:${account}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
const merge = <T extends object>(base: T, patch: object): T => ({ ...base, ...patch });

// ---- AWS answers (ECR, ECS, EKS API references) -------------------------------------------------

const repository = {
  repositoryArn: `arn:aws:ecr:${region}:${account}:repository/shop/api`,
  registryId: account,
  repositoryName: 'shop/api',
  repositoryUri: `${account}.dkr.ecr.${region}.amazonaws.com/shop/api`,
  imageTagMutability: 'IMMUTABLE',
  imageScanningConfiguration: { scanOnPush: true },
  encryptionConfiguration: { encryptionType: 'KMS', kmsKey },
};
const ownAccountPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Own', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ['ecr:BatchGetImage'] }] });
const publicPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Anyone', Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }] });
const lifecycle = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }] });
const ecrRepo = (patch: object, extra: { policyText?: string | null; lifecyclePolicyText?: string | null; scanningConfiguration?: unknown } = {}) =>
  normalizeEcrRepository({ repository: merge(repository, patch), policyText: ownAccountPolicy, lifecyclePolicyText: lifecycle, scanningConfiguration: { scanType: 'BASIC', rules: [] }, ...extra }, ctx);

const container = {
  name: 'web',
  image: `${account}.dkr.ecr.${region}.amazonaws.com/shop/api@sha256:${'4f'.repeat(32)}`,
  essential: true,
  user: '1000:1000',
  readonlyRootFilesystem: true,
  privileged: false,
  memory: 512,
  environment: [{ name: 'LOG_LEVEL', value: 'info' }],
  portMappings: [{ containerPort: 8080 }],
  logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-region': region, mode: 'non-blocking' } },
};
const taskDefinition = (patch: object, containerPatch: object = {}) =>
  normalizeTaskDefinition(
    {
      taskDefinition: merge(
        {
          taskDefinitionArn: `arn:aws:ecs:${region}:${account}:task-definition/web:3`,
          family: 'web',
          revision: 3,
          networkMode: 'awsvpc',
          requiresCompatibilities: ['EC2'],
          memory: '1024',
          containerDefinitions: [merge(container, containerPatch)],
          status: 'ACTIVE',
        },
        patch,
      ),
    },
    ctx,
  );
// An AWS documented example key id, assembled so no credential-shaped literal sits in the repository.
const secretAccessKey = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');

const service = (patch: object) =>
  normalizeService(
    {
      service: merge(
        {
          serviceArn: `arn:aws:ecs:${region}:${account}:service/shop/web`,
          serviceName: 'web',
          clusterArn: `arn:aws:ecs:${region}:${account}:cluster/shop`,
          launchType: 'FARGATE',
          platformVersion: 'LATEST',
          platformFamily: 'Linux',
          taskDefinition: `arn:aws:ecs:${region}:${account}:task-definition/web:3`,
          enableExecuteCommand: false,
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], securityGroups: ['sg-0a1b2c3d'], assignPublicIp: 'DISABLED' } },
          status: 'ACTIVE',
        },
        patch,
      ),
    },
    ctx,
  );
const ecsCluster = (settings: object[]) =>
  normalizeEcsCluster({ cluster: { clusterArn: `arn:aws:ecs:${region}:${account}:cluster/shop`, clusterName: 'shop', status: 'ACTIVE', settings }, include: ['SETTINGS', 'CONFIGURATIONS', 'TAGS'], services: [] }, ctx);

const eksCluster = (patch: object) =>
  normalizeEksCluster(
    {
      cluster: merge(
        {
          name: 'platform',
          arn: `arn:aws:eks:${region}:${account}:cluster/platform`,
          version: '1.32',
          status: 'ACTIVE',
          resourcesVpcConfig: { subnetIds: ['subnet-0a1b2c3d'], endpointPublicAccess: false, endpointPrivateAccess: true, publicAccessCidrs: [] },
          logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] },
          encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: kmsKey } }],
          identity: { oidc: { issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C2F8A1E0B9D4C7E6F3A2B1C0D9E8F7A' } },
          deletionProtection: true,
        },
        patch,
      ),
    },
    ctx,
  );

// ---- Azure answers (ARM REST) -----------------------------------------------------------------

const aksProperties = {
  kubernetesVersion: '1.32.2',
  currentKubernetesVersion: '1.32.2',
  enableRBAC: true,
  disableLocalAccounts: true,
  aadProfile: { managed: true, enableAzureRBAC: true },
  apiServerAccessProfile: { enablePrivateCluster: true, disableRunCommand: true },
  privateFQDN: 'aks-shop-1a2b3c4d.privatelink.westeurope.azmk8s.io',
  networkProfile: { networkPlugin: 'azure', networkPolicy: 'calico' },
  addonProfiles: { azurepolicy: { enabled: true } },
  azureMonitorProfile: { metrics: { enabled: true } },
  securityProfile: { defender: { securityMonitoring: { enabled: true } }, workloadIdentity: { enabled: true } },
  autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
  agentPoolProfiles: [{ name: 'system', mode: 'System', orchestratorVersion: '1.32.2', enableNodePublicIP: false, enableEncryptionAtHost: true }],
};
const aks = (patch: object) =>
  normalizeAksCluster(
    {
      resource: {
        id: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop',
        name: 'aks-shop',
        type: 'Microsoft.ContainerService/ManagedClusters',
        location: 'westeurope',
        identity: { type: 'SystemAssigned' },
        properties: merge(aksProperties, patch),
      },
    },
    ctx,
  );

const acrProperties = {
  loginServer: 'shopacr.azurecr.io',
  adminUserEnabled: false,
  anonymousPullEnabled: false,
  publicNetworkAccess: 'Disabled',
  networkRuleSet: { defaultAction: 'Deny', ipRules: [] },
  privateEndpointConnections: [
    {
      id: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-shop/providers/Microsoft.ContainerRegistry/registries/shopacr/privateEndpointConnections/pe1',
      properties: {
        privateEndpoint: { id: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-shop/providers/Microsoft.Network/privateEndpoints/pe1' },
        privateLinkServiceConnectionState: { status: 'Approved', description: '', actionsRequired: 'None' },
      },
    },
  ],
};
const acr = (patch: object) =>
  normalizeAcrRegistry(
    {
      resource: {
        id: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-shop/providers/Microsoft.ContainerRegistry/registries/shopacr',
        name: 'shopacr',
        type: 'Microsoft.ContainerRegistry/registries',
        location: 'westeurope',
        sku: { name: 'Premium', tier: 'Premium' },
        properties: merge(acrProperties, patch),
      },
    },
    ctx,
  );

// ---- Google answers (GKE and Artifact Registry REST) ------------------------------------------

const gkeCluster = (serviceAccount: string) =>
  normalizeGkeCluster(
    {
      cluster: {
        name: 'shop',
        location: 'europe-west1',
        selfLink: 'https://container.googleapis.com/v1/projects/shop-prod/locations/europe-west1/clusters/shop',
        currentMasterVersion: '1.32.2-gke.1000',
        nodePools: [{ name: 'general', version: '1.32.2-gke.1000', config: { serviceAccount, imageType: 'COS_CONTAINERD', oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'] } }],
      },
    },
    ctx,
  );
const arRepository = (enablementState: string, reason?: string) =>
  normalizeArtifactRegistryRepository(
    {
      repository: {
        name: 'projects/shop-prod/locations/europe-west1/repositories/images',
        format: 'DOCKER',
        mode: 'STANDARD_REPOSITORY',
        vulnerabilityScanningConfig: { enablementConfig: 'INHERITED', enablementState, ...(reason ? { enablementStateReason: reason } : {}) },
      },
    },
    ctx,
  );

// ---- an image (OCI config) ---------------------------------------------------------------------

const contents: ImageContents = {
  os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
  packages: [],
  users: [{ name: 'app', uid: 10001, gid: 10001, shell: '/usr/sbin/nologin' }],
  setuidFiles: [],
  worldWritable: [],
  secrets: [],
  shells: [],
  packageManagers: [],
  fileCount: 10,
  uncompressedBytes: 1_000_000,
};
const image = (env: string[]) => {
  const config: ImageConfig = { created: '2026-10-20T08:00:00Z', architecture: 'amd64', os: 'linux', config: { User: 'app', Env: env }, history: [{ created_by: 'COPY app /app # buildkit' }] };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'c'.repeat(64)}`, size: 321 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${'d'.repeat(64)}`, size: 1000 }],
  };
  return buildImageAsset({
    registry: `${account}.dkr.ecr.${region}.amazonaws.com`,
    repository: 'shop/api',
    tag: '1.0',
    requestedDigest: null,
    manifestDigest: `sha256:${'a'.repeat(64)}`,
    manifestMediaType: manifest.mediaType as string,
    manifest,
    rawManifest: manifest,
    config,
    rawConfig: config,
    contents,
    scanErrors: [],
    collectedAt: now,
  });
};

/** Each covered Prowler check: its planted misconfiguration (fixed = false) and the fixed twin. */
const plants: Record<string, (fixed: boolean) => Asset> = {
  ecr_registry_enhanced_scanning_enabled: (fixed) =>
    normalizeEcrRegistry({ registryId: account, region, scanningConfiguration: { scanType: fixed ? 'ENHANCED' : 'BASIC', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] } }, ctx),
  ecr_registry_scan_images_on_push_enabled: (fixed) =>
    normalizeEcrRegistry({ registryId: account, region, scanningConfiguration: { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: fixed ? '*' : 'prod-*', filterType: 'WILDCARD' }] }] } }, ctx),
  ecr_repositories_lifecycle_policy_enabled: (fixed) => ecrRepo({}, { lifecyclePolicyText: fixed ? lifecycle : null }),
  ecr_repositories_not_publicly_accessible: (fixed) => ecrRepo({}, { policyText: fixed ? ownAccountPolicy : publicPolicy }),
  ecr_repositories_scan_images_on_push_enabled: (fixed) => ecrRepo({ imageScanningConfiguration: { scanOnPush: fixed } }),
  ecr_repositories_tag_immutability: (fixed) => ecrRepo({ imageTagMutability: fixed ? 'IMMUTABLE' : 'MUTABLE' }),
  ecr_repositories_scan_vulnerabilities_in_latest_image: (fixed) =>
    mergeNative(
      image(['PATH=/usr/bin:/bin']) as ImageAsset,
      fromEcrBasic(
        fixed
          ? []
          : [{ name: 'CVE-2023-5678', severity: 'HIGH', uri: 'https://security-tracker.debian.org/tracker/CVE-2023-5678', attributes: [{ key: 'package_name', value: 'openssl' }, { key: 'package_version', value: '3.0.11-1~deb12u1' }] }],
      ),
    ),
  ecr_repository_image_no_secrets: (fixed) => image(['PATH=/usr/bin:/bin', ...(fixed ? [] : [`AWS_SECRET_ACCESS_KEY=${secretAccessKey}`])]),

  ecs_cluster_container_insights_enabled: (fixed) => ecsCluster([{ name: 'containerInsights', value: fixed ? 'enabled' : 'disabled' }]),
  ecs_service_fargate_latest_platform_version: (fixed) => service({ platformVersion: fixed ? 'LATEST' : '1.3.0' }),
  ecs_service_no_assign_public_ip: (fixed) =>
    service({ networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], assignPublicIp: fixed ? 'DISABLED' : 'ENABLED' } } }),
  ecs_task_definitions_containers_readonly_access: (fixed) => taskDefinition({}, { readonlyRootFilesystem: fixed }),
  ecs_task_definitions_host_namespace_not_shared: (fixed) => taskDefinition(fixed ? {} : { pidMode: 'host' }),
  ecs_task_definitions_host_networking_mode_users: (fixed) => taskDefinition({ networkMode: fixed ? 'awsvpc' : 'host' }, { user: fixed ? '1000:1000' : 'root' }),
  ecs_task_definitions_logging_enabled: (fixed) => taskDefinition({}, fixed ? {} : { logConfiguration: undefined }),
  ecs_task_definitions_no_environment_secrets: (fixed) =>
    taskDefinition({}, { environment: [{ name: 'LOG_LEVEL', value: 'info' }, ...(fixed ? [] : [{ name: 'AWS_SECRET_ACCESS_KEY', value: secretAccessKey }])] }),
  ecs_task_definitions_no_privileged_containers: (fixed) => taskDefinition({}, { privileged: !fixed }),
  ecs_task_set_no_assign_public_ip: (fixed) =>
    service({ taskSets: [{ id: 'ecs-svc/0123456789012345678', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d'], assignPublicIp: fixed ? 'DISABLED' : 'ENABLED' } } }] }),

  eks_cluster_deletion_protection_enabled: (fixed) => eksCluster({ deletionProtection: fixed }),
  eks_cluster_kms_cmk_encryption_in_secrets_enabled: (fixed) => eksCluster(fixed ? {} : { encryptionConfig: undefined }),
  eks_cluster_not_publicly_accessible: (fixed) =>
    eksCluster({ resourcesVpcConfig: fixed ? { endpointPublicAccess: false, endpointPrivateAccess: true } : { endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] } }),
  eks_cluster_private_nodes_enabled: (fixed) => eksCluster({ resourcesVpcConfig: { endpointPublicAccess: !fixed, endpointPrivateAccess: fixed, publicAccessCidrs: ['203.0.113.0/24'] } }),
  eks_cluster_uses_a_supported_version: (fixed) => eksCluster({ version: fixed ? '1.32' : '1.27' }),
  eks_cluster_vpc_cni_network_policy_enforced: (fixed) =>
    normalizeEksCluster(
      {
        cluster: eksCluster({}).raw.cluster,
        addons: [{ addonName: 'vpc-cni', clusterName: 'platform', addonVersion: 'v1.19.2-eksbuild.1', status: 'ACTIVE', configurationValues: `{"enableNetworkPolicy":"${fixed}"}` }],
      },
      ctx,
    ),
  eks_control_plane_logging_all_types_enabled: (fixed) =>
    eksCluster(fixed ? {} : { logging: { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: false }] } }),

  aks_cluster_auto_upgrade_enabled: (fixed) => aks({ autoUpgradeProfile: { upgradeChannel: fixed ? 'patch' : 'none', nodeOSUpgradeChannel: 'NodeImage' } }),
  aks_cluster_azure_monitor_enabled: (fixed) => aks({ azureMonitorProfile: fixed ? { metrics: { enabled: true } } : undefined }),
  aks_cluster_defender_enabled: (fixed) => aks({ securityProfile: { defender: { securityMonitoring: { enabled: fixed } }, workloadIdentity: { enabled: true } } }),
  aks_cluster_local_accounts_disabled: (fixed) => aks({ disableLocalAccounts: fixed }),
  aks_cluster_rbac_enabled: (fixed) => aks({ enableRBAC: fixed }),
  aks_clusters_created_with_private_nodes: (fixed) => aks({ agentPoolProfiles: [{ ...aksProperties.agentPoolProfiles[0], enableNodePublicIP: !fixed }] }),
  aks_clusters_public_access_disabled: (fixed) =>
    aks(fixed ? {} : { apiServerAccessProfile: { enablePrivateCluster: false, disableRunCommand: true, authorizedIPRanges: ['203.0.113.0/24'] }, privateFQDN: undefined }),
  aks_network_policy_enabled: (fixed) => aks({ networkProfile: { networkPlugin: 'azure', networkPolicy: fixed ? 'calico' : 'none' } }),
  containerregistry_admin_user_disabled: (fixed) => acr({ adminUserEnabled: !fixed }),
  containerregistry_not_publicly_accessible: (fixed) => acr(fixed ? {} : { publicNetworkAccess: 'Enabled', networkRuleSet: { defaultAction: 'Allow', ipRules: [] } }),
  containerregistry_uses_private_link: (fixed) => acr(fixed ? {} : { privateEndpointConnections: [] }),

  gke_cluster_no_default_service_account: (fixed) => gkeCluster(fixed ? 'gke-nodes@shop-prod.iam.gserviceaccount.com' : 'default'),
  gcr_container_scanning_enabled: (fixed) => (fixed ? arRepository('SCANNING_ACTIVE') : arRepository('SCANNING_DISABLED', 'API containerscanning.googleapis.com is not enabled.')),
};

let engine: Engine;
beforeAll(async () => {
  engine = await Engine.load({ config: parseConfig({ image: { trustedRegistries: ['*.dkr.ecr.*.amazonaws.com'] } }), now });
});

const mapping = loadMapping();
const snapshot = loadSnapshot();
const covered = Object.entries(mapping.checks).flatMap(([check, entry]) => ('rules' in entry ? [{ check, rules: entry.rules }] : []));
const fired = (asset: Asset) => new Set(engine.evaluate(parseAsset(asset)).map((f) => f.ruleId));

describe(`posture beside Prowler ${snapshot.prowlerVersion}`, () => {
  it('has a planted misconfiguration for every covered check, and none for a check it does not claim', () => {
    expect(Object.keys(plants).sort()).toEqual(covered.map((c) => c.check).sort());
  });

  it.each(covered)('$check: $rules fire on the planted misconfiguration and not once it is fixed', ({ check, rules }) => {
    const plant = plants[check];
    if (!plant) throw new Error(`no plant for ${check}`);
    const bad = fired(plant(false));
    const good = fired(plant(true));
    for (const rule of rules) {
      expect(bad, `${rule} on the planted ${check}`).toContain(rule);
      expect(good, `${rule} on the fixed ${check}`).not.toContain(rule);
    }
  });
});
