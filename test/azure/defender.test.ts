// Defender for Containers through Azure Resource Graph (providers/azure/native-scan.ts), POSTed through the
// unmodified ACR SDK client's ARM pipeline over HTTPS to the ARM stand-in: what an image without rows, a failing query and a
// hostile digest do. The collected path (rows → nativeVulnerabilities) is in collect-azure.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageAsset } from '../../core/asset.ts';
import { defenderQuery, nativeScan } from '../../providers/azure/native-scan.ts';
import { AzureSettings } from '../../providers/azure/settings.ts';
import type { ImageTarget } from '../../providers/provider.ts';
import { startArmStandIn, type ArmStandIn } from '../standins/arm.ts';
import { subA } from './support/arm-bodies.ts';
import { TestTenantCredential } from './support/test-tenant-credential.ts';

const token = 'arm-audience-token';
let arm: ArmStandIn;

beforeAll(async () => {
  arm = await startArmStandIn({ accessToken: token, pageSize: 2, subscriptions: { [subA]: {} }, securityResources: [] });
});
afterAll(() => arm?.stop());

const digest = `sha256:${'b'.repeat(64)}`;
const target: ImageTarget = { provider: 'azure', account: subA, region: 'westeurope', image: { registry: 'shopacr.azurecr.io', repository: 'shop/api', digest, tag: null }, scope: 'azure/image/x' };
const image = { id: `oci://shopacr.azurecr.io/shop/api@${digest}`, image: { digest } } as unknown as ImageAsset;

describe('Defender for Containers findings', () => {
  it('reports no evidence (null, not an empty list) when Resource Graph has no row for the image', async () => {
    const settings = AzureSettings.parse({ endpoint: arm.endpoint });
    const result = await nativeScan.read({ settings, access: { credential: new TestTenantCredential({ [`${arm.endpoint}/.default`]: token }), tls: { ca: arm.ca } }, image, target });
    expect(result).toEqual({ scanner: 'defender', findings: null, truncated: false });
    expect(arm.graphQueries.at(-1)).toMatchObject({ subscriptions: [subA] });
  });

  it('fails with ARM’s error when the token is refused (the orchestration records it as unreadable)', async () => {
    const settings = AzureSettings.parse({ endpoint: arm.endpoint, maxRetries: 0 });
    const read = nativeScan.read({ settings, access: { credential: new TestTenantCredential({ [`${arm.endpoint}/.default`]: 'not-the-token' }), tls: { ca: arm.ca } }, image, target });
    await expect(read).rejects.toThrow(/HTTP 401.*access token is invalid/);
  });

  it('puts nothing from outside into the query unchecked', () => {
    expect(() => defenderQuery('shopacr.azurecr.io', "sha256:x' or 1==1 //")).toThrow(/not an image digest/);
    expect(() => defenderQuery("shopacr.azurecr.io' or 1==1", digest)).toThrow(/not a registry host/);
    expect(defenderQuery('ShopACR.azurecr.io', digest)).toContain("registryHost) =~ 'shopacr.azurecr.io'");
  });
});
