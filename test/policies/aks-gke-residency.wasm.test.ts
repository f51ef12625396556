// AKS, GKE, the cross-cloud CLU rules on both, and data-residency rules as a user meets them: raw API answers written from the ARM,
// GKE, ECR and ECS references, normalized by the real collectors, validated by parseAsset, and
// judged by the compiled Wasm bundle. Each case asserts which rule ids fire and which do not.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { parseConfig, type Config } from '../../core/config.ts';
import { fingerprintOf } from '../../core/finding.ts';
import { Engine } from '../../policies/engine.ts';
import { normalizeEcrRepository } from '../../providers/aws/normalize/ecr-repository.ts';
import { normalizeEksCluster } from '../../providers/aws/normalize/eks-cluster.ts';
import { normalizeTaskDefinition } from '../../providers/aws/normalize/ecs-task-definition.ts';
import { normalizeAksCluster } from '../../providers/azure/normalize-aks.ts';
import { normalizeGkeCluster } from '../../providers/gcp/normalize-gke.ts';

const now = new Date('2026-11-01T00:00:00Z');
const ctx = { collectedAt: now.toISOString(), source: 'test' };

let engine: Engine;
beforeAll(async () => {
  engine = await Engine.load({ config: parseConfig({}), now });
});

/** Rule ids that fired with the given prefix, sorted and unique. */
function fired(asset: Asset, prefix: string, on: Engine = engine): string[] {
  return [...new Set(on.evaluate(parseAsset(asset)).filter((f) => f.ruleId.startsWith(prefix)).map((f) => f.ruleId))].sort();
}

function findingsOf(asset: Asset, ruleId: string, on: Engine = engine) {
  return on.evaluate(parseAsset(asset)).filter((f) => f.ruleId === ruleId);
}

async function engineWith(config: unknown): Promise<Engine> {
  return Engine.load({ config: parseConfig(config) as Config, now });
}

// --- AKS ---------------------------------------------------------------------------------------

const aksId = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop';

/** A hardened cluster, in wire names (the part under `properties`). */
const hardenedProperties = {
  kubernetesVersion: '1.32.2',
  currentKubernetesVersion: '1.32.2',
  enableRBAC: true,
  disableLocalAccounts: true,
  aadProfile: { managed: true, enableAzureRBAC: true },
  apiServerAccessProfile: { enablePrivateCluster: true, disableRunCommand: true },
  networkProfile: { networkPlugin: 'azure', networkPolicy: 'cilium' },
  addonProfiles: { azurepolicy: { enabled: true } },
  azureMonitorProfile: { metrics: { enabled: true } },
  securityProfile: {
    defender: { securityMonitoring: { enabled: true } },
    workloadIdentity: { enabled: true },
    azureKeyVaultKms: { enabled: true, keyId: 'https://kv-shop.vault.azure.net/keys/etcd/0123456789abcdef' },
  },
  oidcIssuerProfile: { enabled: true },
  autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
  servicePrincipalProfile: { clientId: 'msi' },
  diskEncryptionSetID: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-shop/providers/Microsoft.Compute/diskEncryptionSets/des',
  agentPoolProfiles: [
    {
      name: 'system',
      mode: 'System',
      orchestratorVersion: '1.32.2',
      availabilityZones: ['1', '2', '3'],
      enableEncryptionAtHost: true,
      enableNodePublicIP: false,
      securityProfile: { sshAccess: 'Disabled' },
    },
  ],
};

const aksEnvelope = {
  id: aksId,
  name: 'aks-shop',
  type: 'Microsoft.ContainerService/ManagedClusters',
  location: 'westeurope',
  tags: { 'data-classification': 'personal' },
  identity: { type: 'SystemAssigned' },
};

const hardenedRest = { ...aksEnvelope, properties: hardenedProperties };

/** The same cluster as `az aks show` prints it: flattened, with its own spellings. */
const hardenedAz = {
  ...aksEnvelope,
  ...hardenedProperties,
  enableRbac: true,
  enableRBAC: undefined,
  aadProfile: { managed: true, enableAzureRbac: true },
  diskEncryptionSetId: hardenedProperties.diskEncryptionSetID,
  diskEncryptionSetID: undefined,
  agentPoolProfiles: [{ ...hardenedProperties.agentPoolProfiles[0], enableNodePublicIP: undefined, enableNodePublicIp: false }],
};

const legacyRest = {
  ...aksEnvelope,
  name: 'aks-legacy',
  id: aksId.replace('aks-shop', 'aks-legacy'),
  identity: undefined,
  properties: {
    kubernetesVersion: '1.29.9',
    currentKubernetesVersion: '1.29.9',
    enableRBAC: false,
    apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: [] },
    networkProfile: { networkPlugin: 'kubenet', networkPolicy: 'none' },
    addonProfiles: { azurepolicy: { enabled: false } },
    autoUpgradeProfile: { upgradeChannel: 'none' },
    servicePrincipalProfile: { clientId: '11111111-2222-3333-4444-555555555555' },
    agentPoolProfiles: [{ name: 'nodepool1', orchestratorVersion: '1.29.9', enableNodePublicIP: true }],
  },
};

const auditSetting = {
  id: `${aksId}/providers/Microsoft.Insights/diagnosticSettings/to-law`,
  name: 'to-law',
  properties: {
    workspaceId: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-sec/providers/Microsoft.OperationalInsights/workspaces/law',
    logs: [{ category: 'kube-audit-admin', enabled: true }],
  },
};

describe('AKS rules', () => {
  it('pass a hardened cluster in wire JSON and in az / SDK form alike', () => {
    const rest = normalizeAksCluster({ resource: hardenedRest, diagnosticSettings: [auditSetting] }, ctx);
    const az = normalizeAksCluster({ resource: JSON.parse(JSON.stringify(hardenedAz)), diagnosticSettings: [auditSetting] }, ctx);
    expect(rest.rawForm).toBe('arm-rest');
    expect(az.rawForm).toBe('arm-sdk');
    expect(az.cluster).toEqual(rest.cluster);
    for (const asset of [rest, az]) {
      expect(fired(asset, 'AKS-')).toEqual([]);
      expect(fired(asset, 'CLU-')).toEqual([]);
    }
  });

  it('flag every weakness of a legacy cluster, and judge RBAC the same in both forms', () => {
    const legacy = normalizeAksCluster({ resource: JSON.parse(JSON.stringify(legacyRest)), diagnosticSettings: [] }, ctx);
    expect(fired(legacy, 'AKS-')).toEqual(['AKS-003', 'AKS-004', 'AKS-006', 'AKS-008', 'AKS-010', 'AKS-011', 'AKS-013', 'AKS-014', 'AKS-015', 'AKS-016']);
    expect(fired(legacy, 'CLU-')).toEqual(['CLU-001', 'CLU-002', 'CLU-003', 'CLU-004', 'CLU-005', 'CLU-006', 'CLU-007', 'CLU-008']);
    const flatNoRbac = normalizeAksCluster({ resource: JSON.parse(JSON.stringify({ ...hardenedAz, enableRbac: false })) }, ctx);
    expect(fired(flatNoRbac, 'AKS-')).toEqual(['AKS-003']);
    expect(findingsOf(flatNoRbac, 'AKS-003')[0]).toMatchObject({ path: 'enableRBAC', evidence: false, severity: 'high' });
  });

  it('accept Container insights (the omsagent add-on, `az aks show` spells it omsAgent) as Azure Monitor too', () => {
    const props = { ...hardenedProperties, azureMonitorProfile: undefined };
    expect(fired(normalizeAksCluster({ resource: { ...aksEnvelope, properties: props } }, ctx), 'AKS-015')).toEqual(['AKS-015']);
    const insights = { ...props, addonProfiles: { ...props.addonProfiles, omsAgent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: auditSetting.properties.workspaceId } } } };
    expect(fired(normalizeAksCluster({ resource: { ...aksEnvelope, properties: insights } }, ctx), 'AKS-015')).toEqual([]);
  });

  it('judge audit logs only when diagnostic settings were collected, and say why not otherwise', () => {
    const notCollected = normalizeAksCluster({ resource: hardenedRest }, ctx);
    const collectedNone = normalizeAksCluster({ resource: hardenedRest, diagnosticSettings: [] }, ctx);
    const refused = normalizeAksCluster({ resource: hardenedRest, failed: { diagnosticSettings: 'access denied (AuthorizationFailed): no microsoft.insights/diagnosticSettings/read' } }, ctx);
    expect(fired(notCollected, 'CLU-004')).toEqual([]);
    expect(engine.assess(parseAsset(notCollected)).outcomes.notEvaluated.find((n) => n.ruleId === 'CLU-004')).toMatchObject({ reason: 'input-missing' });
    expect(fired(collectedNone, 'CLU-004')).toEqual(['CLU-004']);
    expect(findingsOf(collectedNone, 'CLU-004')[0]).toMatchObject({ aliases: ['AKS-012'], previousFingerprints: [fingerprintOf(collectedNone.id, 'AKS-012', 'diagnosticSettings/logs')] });
    expect(engine.assess(parseAsset(refused)).outcomes.notEvaluated.find((n) => n.ruleId === 'CLU-004')).toMatchObject({ reason: 'collection-error', detail: expect.stringContaining('AuthorizationFailed') });
  });

  it('read the audit log category groups (audit, allLogs) as well as the categories', () => {
    const grouped = { ...auditSetting, properties: { ...auditSetting.properties, logs: [{ categoryGroup: 'allLogs', enabled: true }] } };
    expect(fired(normalizeAksCluster({ resource: hardenedRest, diagnosticSettings: [grouped] }, ctx), 'CLU-004')).toEqual([]);
  });

  it('compare the minimum version numerically and take it from config', async () => {
    const older = normalizeAksCluster({ resource: { ...hardenedRest, properties: { ...hardenedProperties, currentKubernetesVersion: '1.9.11' } } }, ctx);
    expect(fired(older, 'CLU-005')).toEqual(['CLU-005']);
    const lenient = await engineWith({ kubernetes: { minVersion: '1.9' } });
    expect(fired(older, 'CLU-005', lenient)).toEqual([]);
  });
});

// --- GKE ---------------------------------------------------------------------------------------

const office = [{ displayName: 'office', cidrBlock: '203.0.113.0/24' }];
const hardenedPool = {
  name: 'default-pool',
  version: '1.32.2-gke.1182003',
  locations: ['europe-west1-b', 'europe-west1-c'],
  config: {
    machineType: 'e2-standard-4',
    imageType: 'COS_CONTAINERD',
    serviceAccount: 'gke-nodes@shop-prod.iam.gserviceaccount.com',
    oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
    metadata: { 'disable-legacy-endpoints': 'true' },
    workloadMetadataConfig: { mode: 'GKE_METADATA' },
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    bootDiskKmsKey: 'projects/shop-prod/locations/europe-west1/keyRings/gke/cryptoKeys/boot',
  },
  management: { autoUpgrade: true, autoRepair: true },
};
const hardenedGke = {
  name: 'shop',
  selfLink: 'https://container.googleapis.com/v1/projects/shop-prod/locations/europe-west1/clusters/shop',
  location: 'europe-west1',
  locations: ['europe-west1-b', 'europe-west1-c'],
  currentMasterVersion: '1.32.2-gke.1182003',
  resourceLabels: { 'data-classification': 'personal' },
  masterAuth: { clientCertificateConfig: {} },
  masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: office },
  privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true },
  controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false, authorizedNetworksConfig: { enabled: true, cidrBlocks: office } } },
  networkConfig: { datapathProvider: 'ADVANCED_DATAPATH', defaultEnablePrivateNodes: true },
  ipAllocationPolicy: { useIpAliases: true },
  databaseEncryption: { state: 'ENCRYPTED', keyName: 'projects/shop-prod/locations/europe-west1/keyRings/gke/cryptoKeys/etcd' },
  loggingService: 'logging.googleapis.com/kubernetes',
  monitoringService: 'monitoring.googleapis.com/kubernetes',
  loggingConfig: { componentConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS'] } },
  releaseChannel: { channel: 'REGULAR' },
  shieldedNodes: { enabled: true },
  workloadIdentityConfig: { workloadPool: 'shop-prod.svc.id.goog' },
  binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
  securityPostureConfig: { mode: 'BASIC', vulnerabilityMode: 'VULNERABILITY_ENTERPRISE' },
  addonsConfig: { kubernetesDashboard: { disabled: true } },
  nodePools: [hardenedPool],
};

/** A cluster as REST returns it when nothing was hardened: defaults omitted, legacy choices on. */
const legacyGke = {
  name: 'legacy',
  selfLink: 'https://container.googleapis.com/v1/projects/shop-prod/locations/europe-west1-b/clusters/legacy',
  location: 'europe-west1-b',
  locations: ['europe-west1-b'],
  currentMasterVersion: '1.30.5-gke.1014001',
  resourceLabels: { 'data-classification': 'personal' },
  legacyAbac: { enabled: true },
  masterAuth: { username: 'admin', password: 'not-a-real-password', clientCertificateConfig: { issueClientCertificate: true } },
  loggingService: 'none',
  monitoringService: 'none',
  enableKubernetesAlpha: true,
  addonsConfig: { kubernetesDashboard: {} },
  binaryAuthorization: { evaluationMode: 'DISABLED' },
  securityPostureConfig: { mode: 'DISABLED', vulnerabilityMode: 'VULNERABILITY_DISABLED' },
  nodePools: [
    {
      name: 'default-pool',
      version: '1.30.5-gke.1014001',
      locations: ['europe-west1-b'],
      config: { imageType: 'UBUNTU_CONTAINERD', serviceAccount: 'default', oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'], metadata: { 'disable-legacy-endpoints': 'false' } },
    },
  ],
};

const gke = (cluster: unknown) => normalizeGkeCluster({ cluster: JSON.parse(JSON.stringify(cluster)) }, ctx);

describe('GKE rules', () => {
  it('pass a hardened cluster', () => {
    expect(fired(gke(hardenedGke), 'GKE-')).toEqual([]);
    expect(fired(gke(hardenedGke), 'CLU-')).toEqual([]);
  });

  it('flag every weakness of a legacy cluster, without echoing its password', () => {
    const legacy = gke(legacyGke);
    expect(fired(legacy, 'GKE-')).toEqual(['GKE-004', 'GKE-005', 'GKE-006', 'GKE-007', 'GKE-008', 'GKE-009', 'GKE-010', 'GKE-011', 'GKE-012', 'GKE-013', 'GKE-014', 'GKE-015']);
    // Cloud Audit Logs record the Kubernetes API whatever loggingService says: CLU-004 passes, GKE-009 fails.
    expect(fired(legacy, 'CLU-')).toEqual(['CLU-001', 'CLU-002', 'CLU-003', 'CLU-005', 'CLU-006', 'CLU-007', 'CLU-008']);
    expect(JSON.stringify(engine.evaluate(legacy))).not.toContain('not-a-real-password');
  });

  it('let the newer endpoint field override the deprecated one, by value', () => {
    const publicNew = gke({
      ...hardenedGke,
      controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: true, enablePublicEndpoint: true, authorizedNetworksConfig: { enabled: true, cidrBlocks: office } } },
    });
    expect(fired(publicNew, 'GKE-')).toEqual([]);
    expect(fired(publicNew, 'CLU-')).toEqual(['CLU-001']);
    const openNetworks = gke({
      ...hardenedGke,
      controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false, authorizedNetworksConfig: { enabled: true, cidrBlocks: [{ cidrBlock: '0.0.0.0/0' }] } } },
    });
    expect(findingsOf(openNetworks, 'CLU-002')).toMatchObject([
      {
        path: 'endpoint/privateAllowedCidrs',
        evidence: ['0.0.0.0/0'],
        aliases: ['GKE-003'],
        previousFingerprints: ['masterAuthorizedNetworksConfig/enabled', 'masterAuthorizedNetworksConfig/cidrBlocks'].map((p) => fingerprintOf(openNetworks.id, 'GKE-003', p)),
      },
    ]);
  });
});

// --- Residency ---------------------------------------------------------------------------------

const ecrRepository = (name: string) => ({
  repositoryArn: `arn:aws:ecr:eu-west-1:111122223333:repository/${name}`,
  registryId: '111122223333',
  repositoryName: name,
  repositoryUri: `111122223333.dkr.ecr.eu-west-1.amazonaws.com/${name}`,
  imageTagMutability: 'IMMUTABLE',
  imageScanningConfiguration: { scanOnPush: true },
  encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:111122223333:key/1b2c3d4e' },
});

const replication = {
  rules: [
    { destinations: [{ region: 'eu-central-1', registryId: '111122223333' }] },
    { destinations: [{ region: 'us-east-1', registryId: '111122223333' }], repositoryFilters: [{ filter: 'payments/', filterType: 'PREFIX_MATCH' }] },
    { destinations: [{ region: 'eu-west-3', registryId: '999988887777' }], repositoryFilters: [{ filter: 'shared/', filterType: 'PREFIX_MATCH' }] },
  ],
};

function registry(service: 'acr' | 'artifact-registry', region: string, replicaLocations: string[], tags: Record<string, string>): Asset {
  return {
    id: `${service}://example/${region}/images`,
    kind: 'registry',
    provider: service === 'acr' ? 'azure' : 'gcp',
    account: 'example',
    region,
    jurisdiction: 'UNKNOWN',
    tags,
    collectedAt: ctx.collectedAt,
    rawForm: service === 'acr' ? 'arm-rest' : 'gcp-api',
    raw: { repository: { name: 'images' } },
    registry: {
      service,
      name: 'images',
      uri: null,
      scanOnPush: true,
      tagImmutable: true,
      encryption: { type: null, keyId: null },
      publicAccess: false,
      adminUser: false,
      lifecyclePolicy: true,
      replicaLocations,
    },
  };
}

const taskDefinition = (images: string[], logConfiguration: unknown) => ({
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/checkout:7',
  family: 'checkout',
  revision: 7,
  networkMode: 'awsvpc',
  requiresCompatibilities: ['FARGATE'],
  containerDefinitions: images.map((image, i) => ({ name: `c${i}`, image, essential: true, logConfiguration })),
});
const personal = [{ key: 'data-classification', value: 'personal' }];
const awslogsEu = { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/checkout', 'awslogs-region': 'eu-west-1' } };

describe('residency rules', () => {
  it('flag a missing classification and judge the asset as the default class', () => {
    const untagged = gke({ ...hardenedGke, resourceLabels: {}, nodePools: [{ ...hardenedPool, locations: ['europe-west2-a'] }] });
    expect(fired(untagged, 'DR-')).toEqual(['DR-001', 'DR-003']);
    expect(fired(gke({ ...hardenedGke, nodePools: [{ ...hardenedPool, locations: ['europe-west2-a'] }] }), 'DR-')).toEqual([]);
  });

  it('flag node pools in zones outside the allowed jurisdictions', () => {
    const spread = gke({ ...hardenedGke, nodePools: [{ ...hardenedPool, name: 'gpu', locations: ['us-central1-a'] }] });
    expect(findingsOf(spread, 'DR-003').map((f) => f.path)).toEqual(['nodePools/gpu/locations/us-central1-a']);
  });

  it('follow ECR replication rules per repository and check destination accounts', () => {
    const payments = normalizeEcrRepository({ repository: ecrRepository('payments/api'), tags: personal, replicationConfiguration: replication }, ctx);
    const shared = normalizeEcrRepository({ repository: ecrRepository('shared/base'), tags: personal, replicationConfiguration: replication }, ctx);
    const web = normalizeEcrRepository({ repository: ecrRepository('web/frontend'), tags: personal, replicationConfiguration: replication }, ctx);
    expect(findingsOf(payments, 'DR-004').map((f) => f.path)).toEqual(['replication/regions/us-east-1']);
    expect(findingsOf(shared, 'DR-004').map((f) => f.path)).toEqual(['replication/accounts/999988887777']);
    expect(fired(web, 'DR-')).toEqual([]);
  });

  it('accept a destination account once it is approved', async () => {
    const approving = await engineWith({ residency: { approvedAccounts: ['999988887777'] } });
    const shared = normalizeEcrRepository({ repository: ecrRepository('shared/base'), tags: personal, replicationConfiguration: replication }, ctx);
    expect(fired(shared, 'DR-004', approving)).toEqual([]);
  });

  it('flag ACR geo-replicas and Artifact Registry multi-regions outside the allowed set', () => {
    expect(fired(registry('acr', 'westeurope', ['westeurope', 'northeurope'], { 'data-classification': 'restricted' }), 'DR-')).toEqual([]);
    expect(fired(registry('acr', 'westeurope', ['westeurope', 'eastus'], { 'data-classification': 'restricted' }), 'DR-')).toEqual(['DR-005']);
    const europe = registry('artifact-registry', 'europe', [], { 'data-classification': 'restricted' });
    expect(fired(europe, 'DR-')).toEqual(['DR-002', 'DR-006']);
    expect(findingsOf(europe, 'DR-006')[0]?.evidence).toMatchObject({ jurisdiction: 'EUROPE_MULTI' });
    expect(fired(registry('artifact-registry', 'europe-west3', [], { 'data-classification': 'restricted' }), 'DR-')).toEqual([]);
  });

  it('judge where workloads pull images from, unless turned off', async () => {
    const images = [
      '111122223333.dkr.ecr.eu-west-1.amazonaws.com/checkout:1.4.2',
      'europe-west3-docker.pkg.dev/shop-prod/images/worker:2',
      '111122223333.dkr.ecr.us-east-1.amazonaws.com/tools:1',
      'shopacr.azurecr.io/sidecar:3',
    ];
    const workload = normalizeTaskDefinition({ taskDefinition: taskDefinition(images, awslogsEu), tags: personal }, ctx);
    expect(findingsOf(workload, 'DR-007').map((f) => f.path)).toEqual(['containers/c2/image', 'containers/c3/image']);
    const placed = await engineWith({ residency: { registryLocations: { 'shopacr.azurecr.io': { provider: 'azure', location: 'westeurope' } } } });
    expect(findingsOf(workload, 'DR-007', placed).map((f) => f.path)).toEqual(['containers/c2/image']);
    const off = await engineWith({ residency: { checkImageSources: false } });
    expect(fired(workload, 'DR-007', off)).toEqual([]);
  });

  it('flag log destinations and key locations outside the allowed set', () => {
    const splunk = { logDriver: 'splunk', options: { 'splunk-url': 'https://splunk.example.com:8088' } };
    const logsUs = normalizeTaskDefinition({ taskDefinition: taskDefinition(['111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1'], { logDriver: 'awslogs', options: { 'awslogs-region': 'us-west-2' } }), tags: personal }, ctx);
    const logsSplunk = normalizeTaskDefinition({ taskDefinition: taskDefinition(['111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1'], splunk), tags: personal }, ctx);
    const logsEu = normalizeTaskDefinition({ taskDefinition: taskDefinition(['111122223333.dkr.ecr.eu-west-1.amazonaws.com/a:1'], awslogsEu), tags: personal }, ctx);
    expect(fired(logsUs, 'DR-')).toEqual(['DR-009']);
    expect(findingsOf(logsSplunk, 'DR-009')[0]?.evidence).toEqual({ driver: 'splunk', destination: 'splunk', class: 'personal' });
    expect(fired(logsEu, 'DR-')).toEqual([]);

    const eks = (keyArn: string) =>
      normalizeEksCluster(
        {
          cluster: {
            name: 'prod',
            arn: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
            version: '1.32',
            encryptionConfig: [{ resources: ['secrets'], provider: { keyArn } }],
            tags: { 'data-classification': 'personal' },
          },
        },
        ctx,
      );
    expect(fired(eks('arn:aws:kms:eu-central-1:111122223333:key/0a1b'), 'DR-008')).toEqual([]);
    expect(findingsOf(eks('arn:aws:kms:us-east-1:111122223333:key/0a1b'), 'DR-008')).toMatchObject([{ path: 'secretsEncryption/keyId', evidence: { location: 'us-east-1', jurisdiction: 'US' } }]);
  });
});
