// ARM wire JSON (properties nested, `enableRBAC`) for managed clusters, registries, replications and
// diagnostic settings, written from the Microsoft.ContainerService and Microsoft.ContainerRegistry
// REST references.
export const subA = '1f0e5b52-3c4d-4e6f-8a9b-0c1d2e3f4a5b';
export const subDenied = '2a1b0c9d-8e7f-4a6b-9c5d-4e3f2a1b0c9d';
export const subC = '3c2d1e0f-9a8b-4c7d-8e6f-5a4b3c2d1e0f';

const aksId = (sub: string, rg: string, name: string) => `/subscriptions/${sub}/resourcegroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;
export const acrId = (sub: string, rg: string, name: string) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerRegistry/registries/${name}`;

export function managedCluster(sub: string, rg: string, name: string, location: string, properties: Record<string, unknown>, tags: Record<string, string> = {}) {
  return {
    id: aksId(sub, rg, name),
    location,
    name,
    tags,
    type: 'Microsoft.ContainerService/ManagedClusters',
    sku: { name: 'Base', tier: 'Standard' },
    identity: { type: 'SystemAssigned', principalId: '4a5b6c7d-0000-4e6f-8a9b-0c1d2e3f4a5b', tenantId: '9f8e7d6c-0000-4b3a-9c8d-7e6f5a4b3c2d' },
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      dnsPrefix: name,
      fqdn: `${name}-dns-1a2b3c4d.hcp.${location}.azmk8s.io`,
      ...properties,
    },
  };
}

export const hardenedAks = managedCluster(
  subA,
  'rg-shop',
  'aks-shop',
  'westeurope',
  {
    kubernetesVersion: '1.32.2',
    currentKubernetesVersion: '1.32.2',
    enableRBAC: true,
    disableLocalAccounts: true,
    aadProfile: { managed: true, enableAzureRBAC: true, adminGroupObjectIDs: ['5b6c7d8e-0000-4f1a-9b2c-3d4e5f6a7b8c'], tenantID: '9f8e7d6c-0000-4b3a-9c8d-7e6f5a4b3c2d' },
    apiServerAccessProfile: { enablePrivateCluster: true, privateDNSZone: 'system', enablePrivateClusterPublicFQDN: false, disableRunCommand: true },
    privateFQDN: 'aks-shop-1a2b3c4d.privatelink.westeurope.azmk8s.io',
    networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', networkPolicy: 'cilium', networkDataplane: 'cilium', outboundType: 'userDefinedRouting' },
    addonProfiles: { azurepolicy: { enabled: true }, azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: 'true' } } },
    securityProfile: {
      defender: { logAnalyticsWorkspaceResourceId: `/subscriptions/${subA}/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-eu`, securityMonitoring: { enabled: true } },
      workloadIdentity: { enabled: true },
      imageCleaner: { enabled: true, intervalHours: 48 },
      azureKeyVaultKms: { enabled: true, keyId: 'https://kv-shop.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef', keyVaultNetworkAccess: 'Private' },
    },
    oidcIssuerProfile: { enabled: true, issuerURL: 'https://westeurope.oic.prod-aks.azure.com/9f8e7d6c/1a2b3c4d/' },
    autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
    diskEncryptionSetID: `/subscriptions/${subA}/resourceGroups/rg-shop/providers/Microsoft.Compute/diskEncryptionSets/des-shop`,
    agentPoolProfiles: [
      {
        name: 'system',
        count: 3,
        vmSize: 'Standard_D4s_v5',
        mode: 'System',
        osType: 'Linux',
        osSKU: 'AzureLinux',
        orchestratorVersion: '1.32.2',
        availabilityZones: ['1', '2', '3'],
        enableNodePublicIP: false,
        enableEncryptionAtHost: true,
        enableFIPS: true,
        osDiskType: 'Ephemeral',
        securityProfile: { enableVTPM: true, enableSecureBoot: true, sshAccess: 'Disabled' },
      },
    ],
  },
  { 'data-classification': 'restricted', team: 'shop' },
);

export const weakAks = managedCluster(subA, 'rg-legacy', 'aks-legacy', 'eastus', {
  kubernetesVersion: '1.28.9',
  currentKubernetesVersion: '1.28.9',
  enableRBAC: false,
  apiServerAccessProfile: { enablePrivateCluster: false },
  networkProfile: { networkPlugin: 'kubenet', networkPolicy: 'none' },
  addonProfiles: { kubeDashboard: { enabled: true } },
  agentPoolProfiles: [{ name: 'nodepool1', count: 2, vmSize: 'Standard_B2s', mode: 'System', osType: 'Linux', orchestratorVersion: '1.28.9', enableNodePublicIP: true }],
});

/** Plain clusters that fill the pages between the two that matter. */
export const fillerAks = ['aks-a', 'aks-b', 'aks-c'].map((name) =>
  managedCluster(subA, 'rg-batch', name, 'northeurope', {
    kubernetesVersion: '1.31.5',
    enableRBAC: true,
    apiServerAccessProfile: { authorizedIPRanges: ['203.0.113.0/24'] },
    networkProfile: { networkPlugin: 'azure', networkPolicy: 'azure' },
    agentPoolProfiles: [{ name: 'pool', count: 1, vmSize: 'Standard_D2s_v5', mode: 'System', orchestratorVersion: '1.31.5' }],
  }),
);

export const subCAks = managedCluster(subC, 'rg-data', 'aks-data', 'germanywestcentral', {
  kubernetesVersion: '1.32.0',
  enableRBAC: true,
  agentPoolProfiles: [{ name: 'pool', count: 1, mode: 'System', orchestratorVersion: '1.32.0' }],
});

export const auditSetting = (resourceId: string) => ({
  id: `${resourceId}/providers/microsoft.insights/diagnosticSettings/audit-to-law`,
  name: 'audit-to-law',
  type: 'Microsoft.Insights/diagnosticSettings',
  properties: {
    workspaceId: `/subscriptions/${subA}/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-eu`,
    logs: [
      { category: 'kube-audit-admin', enabled: true, retentionPolicy: { enabled: false, days: 0 } },
      { category: 'kube-apiserver', enabled: true, retentionPolicy: { enabled: false, days: 0 } },
    ],
    metrics: [],
  },
});

export function registry(sub: string, rg: string, name: string, location: string, sku: string, properties: Record<string, unknown>, tags: Record<string, string> = {}) {
  return {
    id: acrId(sub, rg, name),
    name,
    type: 'Microsoft.ContainerRegistry/registries',
    location,
    tags,
    sku: { name: sku, tier: sku },
    systemData: { createdBy: 'ops@example.com', createdByType: 'User', createdAt: '2025-02-01T09:00:00.0000000Z', lastModifiedAt: '2026-09-01T09:00:00.0000000Z' },
    properties: {
      loginServer: `${name}.azurecr.io`,
      creationDate: '2025-02-01T09:00:00.1234567Z',
      provisioningState: 'Succeeded',
      dataEndpointEnabled: false,
      dataEndpointHostNames: [],
      privateEndpointConnections: [],
      networkRuleBypassOptions: 'AzureServices',
      zoneRedundancy: 'Disabled',
      ...properties,
    },
  };
}

export const premiumAcr = registry(
  subA,
  'rg-shop',
  'shopacr',
  'westeurope',
  'Premium',
  {
    adminUserEnabled: false,
    anonymousPullEnabled: false,
    publicNetworkAccess: 'Enabled',
    networkRuleSet: { defaultAction: 'Deny', ipRules: [{ action: 'Allow', value: '203.0.113.0/24' }] },
    policies: {
      quarantinePolicy: { status: 'enabled' },
      trustPolicy: { type: 'Notary', status: 'enabled' },
      retentionPolicy: { days: 7, lastUpdatedTime: '2026-01-10T08:00:00Z', status: 'enabled' },
      exportPolicy: { status: 'disabled' },
      azureADAuthenticationAsArmPolicy: { status: 'disabled' },
    },
    encryption: { status: 'enabled', keyVaultProperties: { keyIdentifier: 'https://kv-shop.vault.azure.net/keys/acr', identity: 'f0e1d2c3-0000-4b5a-9687-1a2b3c4d5e6f' } },
  },
  { 'data-classification': 'restricted' },
);

export const basicAcr = registry(subA, 'rg-legacy', 'legacyacr', 'eastus', 'Basic', {
  adminUserEnabled: true,
  anonymousPullEnabled: true,
  publicNetworkAccess: 'Enabled',
  policies: { quarantinePolicy: { status: 'disabled' }, trustPolicy: { type: 'Notary', status: 'disabled' }, retentionPolicy: { days: 7, status: 'disabled' }, exportPolicy: { status: 'enabled' } },
  encryption: { status: 'disabled' },
});

export const replication = (registryId: string, location: string) => ({
  id: `${registryId}/replications/${location}`,
  name: location,
  type: 'Microsoft.ContainerRegistry/registries/replications',
  location,
  tags: {},
  properties: { provisioningState: 'Succeeded', status: { displayStatus: 'Ready', timestamp: '2026-09-01T09:00:00Z' }, regionEndpointEnabled: true, zoneRedundancy: 'Disabled' },
});
