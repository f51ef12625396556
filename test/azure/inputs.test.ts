// Bad and edge inputs at the Azure boundary: resource ids, registry hosts, error bodies and the
// federation settings — each rejected with an error naming the thing, or judged with a specific answer.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { awsWebIdentityAssertion, isAcrHost, normalizeAcrRegistry } from '../../providers/azure/index.ts';
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
