// Bad and edge inputs at the Azure boundary: resource ids, registry hosts, error bodies and the
// federation settings — each rejected with an error naming the thing, or judged with a specific answer.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { awsWebIdentityAssertion, isAcrHost, normalizeAcrRegistry, normalizeAksCluster } from '../../providers/azure/index.ts';
import { describeAzureError } from '../../providers/azure/errors.ts';

const ctx = { collectedAt: '2026-11-01T00:00:00.000Z' };

describe('ACR normalizer', () => {
  it('names a resource id that is not an ARM id', () => {
    expect(() => normalizeAcrRegistry({ resource: { id: '/registries/x', name: 'x', location: 'westeurope' } }, ctx)).toThrow(/not an ARM resource id: \/registries\/x/);
  });

  it('treats anonymous pull as public only while the network is open', () => {
    const base = { id: '/subscriptions/1f0e5b52-3c4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/reg01', name: 'reg01', location: 'West Europe', sku: { name: 'Premium' } };
    const open = normalizeAcrRegistry({ resource: { ...base, properties: { anonymousPullEnabled: true, publicNetworkAccess: 'Enabled' } } }, ctx);
    expect(open.registry.publicAccess).toBe(true);
    expect(open.region).toBe('westeurope');
    const closed = normalizeAcrRegistry({ resource: { ...base, properties: { anonymousPullEnabled: true, publicNetworkAccess: 'Disabled' } } }, ctx);
    expect(closed.registry.publicAccess).toBe(false);
    const denied = normalizeAcrRegistry({ resource: { ...base, properties: { anonymousPullEnabled: true, networkRuleSet: { defaultAction: 'Deny' } } } }, ctx);
    expect(denied.registry.publicAccess).toBe(false);
    // Without replications collected the list is empty and raw says nothing about them.
    expect(denied.raw).not.toHaveProperty('replications');
  });
});

describe('one reading of ARM resources (the normalizers; no rule reads the resource)', () => {
  const id = '/subscriptions/1f0e5b52-3c4d-4e6f-8a9b-0c1d2e3f4a5b/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1';
  const envelope = { id, name: 'aks1', location: 'westeurope', identity: { type: 'SystemAssigned' } };

  it('reads the same AKS settings from wire JSON, SDK objects and `az aks show` output', () => {
    const wire = {
      ...envelope,
      properties: {
        enableRBAC: false,
        disableLocalAccounts: true,
        diskEncryptionSetID: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/des',
        apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.0/24'] },
        addonProfiles: { azurepolicy: { enabled: true } },
        securityProfile: { workloadIdentity: { enabled: true } },
        oidcIssuerProfile: { enabled: true },
        agentPoolProfiles: [{ name: 'np1', enableNodePublicIP: true, enableEncryptionAtHost: true, currentOrchestratorVersion: '1.31.2', orchestratorVersion: '1.31' }],
      },
    };
    // `az aks show` flattens and spells several names its own way; ARM has returned add-on keys in either case.
    const az = {
      ...envelope,
      enableRbac: false,
      disableLocalAccounts: true,
      diskEncryptionSetId: wire.properties.diskEncryptionSetID,
      apiServerAccessProfile: { enablePrivateCluster: false, authorizedIpRanges: ['203.0.113.0/24'] },
      addonProfiles: { azurePolicy: { enabled: true } },
      securityProfile: { workloadIdentity: { enabled: true } },
      oidcIssuerProfile: { enabled: true },
      agentPoolProfiles: [{ name: 'np1', enableNodePublicIp: true, enableEncryptionAtHost: true, currentOrchestratorVersion: '1.31.2', orchestratorVersion: '1.31' }],
    };
    const a = normalizeAksCluster({ resource: wire, diagnosticSettings: [] }, ctx);
    const b = normalizeAksCluster({ resource: az, diagnosticSettings: [] }, ctx);
    expect([a.rawForm, b.rawForm]).toEqual(['arm-rest', 'arm-sdk']);
    expect(b.cluster).toEqual(a.cluster);
    expect(a.cluster).toMatchObject({
      rbac: false,
      endpoint: { public: true, allowedCidrs: ['203.0.113.0/24'] },
      workloadIdentity: true,
      auditLogging: false,
      nodePools: [{ name: 'np1', version: '1.31.2', publicIp: true }],
      aks: { disableLocalAccounts: true, azurePolicyAddon: true, diskEncryptionSetId: wire.properties.diskEncryptionSetID, agentPools: [{ name: 'np1', enableEncryptionAtHost: true, sshAccess: null }] },
    });
  });

  it('breaks ties between keys that differ only in case the same way whatever their order: the exact name, else the first alphabetically', () => {
    const forward = normalizeAksCluster({ resource: { ...envelope, enableRbac: false, enableRBAC: true } }, ctx);
    const backward = normalizeAksCluster({ resource: { ...envelope, enableRBAC: true, enableRbac: false } }, ctx);
    expect([forward.cluster.rbac, backward.cluster.rbac]).toEqual([true, true]);
    const wire = { ...envelope, properties: { EnableRBAC: true, enableRbac: false } };
    expect(normalizeAksCluster({ resource: wire }, ctx).cluster.rbac).toBe(true);
    expect(normalizeAksCluster({ resource: { ...wire, properties: { enableRbac: false, EnableRBAC: true } } }, ctx).cluster.rbac).toBe(true);
  });

  it('leaves an unread audit-log destination unknown, and names the failure when reading it failed', () => {
    expect(normalizeAksCluster({ resource: envelope }, ctx).cluster.auditLogging).toBeNull();
    const failed = normalizeAksCluster({ resource: envelope, failed: { diagnosticSettings: 'HTTP 403' } }, ctx);
    expect(failed.collectionErrors).toEqual([
      { input: 'raw.diagnosticSettings', message: 'HTTP 403' },
      { input: 'cluster.auditLogging', message: 'HTTP 403' },
    ]);
  });

  it('reads ACR settings in both forms, private endpoint states included', () => {
    const acrId = id.replace('Microsoft.ContainerService/managedClusters/aks1', 'Microsoft.ContainerRegistry/registries/reg01');
    const connection = { id: `${acrId}/privateEndpointConnections/pe1`, properties: { privateLinkServiceConnectionState: { status: 'Approved' } } };
    const wire = { id: acrId, name: 'reg01', location: 'westeurope', sku: { name: 'Premium' }, properties: { anonymousPullEnabled: false, policies: { exportPolicy: { status: 'disabled' } }, privateEndpointConnections: [connection] } };
    const sdk = { id: acrId, name: 'reg01', location: 'westeurope', sku: { name: 'Premium' }, anonymousPullEnabled: false, policies: { exportPolicy: { status: 'disabled' } }, privateEndpointConnections: [{ id: connection.id, privateLinkServiceConnectionState: { status: 'Approved' } }] };
    const expected = { sku: 'Premium', anonymousPullEnabled: false, publicNetworkAccess: null, networkDefaultAction: null, exportPolicy: 'disabled', privateEndpointStates: ['Approved'] };
    expect(normalizeAcrRegistry({ resource: wire }, ctx).registry).toMatchObject({ acr: expected });
    expect(normalizeAcrRegistry({ resource: sdk }, ctx).registry).toMatchObject({ acr: expected });
    const failed = normalizeAcrRegistry({ resource: wire, failed: { replications: 'HTTP 500' } }, ctx);
    expect(failed.collectionErrors?.map((e) => e.input)).toEqual(['raw.replications', 'registry.replicaLocations']);
  });
});

describe('ACR hosts, errors and federation settings', () => {
  it('matches ACR login servers only', () => {
    for (const host of ['myregistry.azurecr.io', 'contoso01.azurecr.cn']) expect(isAcrHost(host)).toBe(true);
    for (const host of ['azurecr.io', 'my.registry.azurecr.io.evil.example', 'myregistry.azurecr.io.example.com']) expect(isAcrHost(host)).toBe(false);
  });

  it('keeps ARM error codes and bounds messages', () => {
    expect(describeAzureError(Object.assign(new Error('Throttled'), { code: 'TooManyRequests', statusCode: 429 }))).toBe('TooManyRequests (HTTP 429): Throttled');
    expect(describeAzureError(Object.assign(new Error('y'.repeat(4000)), { statusCode: 500 })).length).toBeLessThanOrEqual(601);
  });

  it('rejects federation settings without ids or region, naming the field', () => {
    expect(() => parseConfig({ azure: { federation: { tenantId: 'tenant', clientId: '5b6c7d8e-0000-4f1a-9b2c-3d4e5f6a7b8c' } } })).toThrow(/azure\.federation\.tenantId: an Azure subscription, tenant or client id is a GUID/);
    const federation = { tenantId: '9f8e7d6c-0000-4b3a-9c8d-7e6f5a4b3c2d', clientId: '5b6c7d8e-0000-4f1a-9b2c-3d4e5f6a7b8c', audience: 'api://AzureADTokenExchange', signingAlgorithm: 'RS256' as const };
    const saved = { r: process.env.AWS_REGION, d: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      expect(() => awsWebIdentityAssertion(federation)).toThrow(/azure\.federation needs an AWS region/);
    } finally {
      if (saved.r !== undefined) process.env.AWS_REGION = saved.r;
      if (saved.d !== undefined) process.env.AWS_DEFAULT_REGION = saved.d;
    }
  });
});
