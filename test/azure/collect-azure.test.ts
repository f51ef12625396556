// posture's Azure collector driven end to end over the real wire protocol: the unmodified
// ContainerServiceClient and ContainerRegistryManagementClient over HTTPS (a per-run certificate the
// client trusts explicitly; bearer tokens never go over plain HTTP) to an ARM stand-in that pages with
// nextLink, throttles once with Retry-After and refuses one subscription; then an ACR image pulled from a
// real registry behind an ACR-shaped front through the Entra token → /oauth2/exchange → refresh flow, and
// Defender for Containers' findings for that image read from Azure Resource Graph through the SDK's ARM pipeline.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type Asset, type KubernetesClusterAsset, type ImageAsset, type ImageStoreAsset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { Engine } from '../../policies/engine.ts';
import { acrAllowedRanges, acrScope, collectAzure, normalizeAcrRegistry, normalizeAksCluster, type CloudCollection } from '../../providers/azure/index.ts';
import { craneFor } from '../oci/support/crane.ts';
import { debianSpec } from '../oci/support/fixtures.ts';
import { writeLayout } from '../oci/support/layout-writer.ts';
import { startRegistry, type RunningRegistry } from '../oci/support/registry-server.ts';
import { startTokenServer, type TokenServer } from '../oci/support/token-server.ts';
import { startArmStandIn, type ArmStandIn } from '../standins/arm.ts';
import { startAcrFront, type AcrFront } from './support/acr-front.ts';
import { acrId, auditSetting, basicAcr, fillerAks, hardenedAks, premiumAcr, replication, subA, subC, subCAks, subDenied, weakAks } from './support/arm-bodies.ts';
import { TestTenantCredential } from './support/test-tenant-credential.ts';

const now = new Date('2026-11-01T00:00:00Z');
const armToken = 'arm-audience-token';
const acrAadToken = 'acr-audience-token';

let work: string;
let arm: ArmStandIn;
let tokens: TokenServer;
let registry: RunningRegistry;
let front: AcrFront;
let credential: TestTenantCredential;
let imageDigest: string;
let result: CloudCollection;
/** Resource Graph's securityresources rows, filled once the image's digest is known. */
const securityResources: object[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-azure-'));
  arm = await startArmStandIn({
    accessToken: armToken,
    pageSize: 2,
    denied: [subDenied],
    throttleOnce: (path) => path.toLowerCase() === `/subscriptions/${subA}/providers/microsoft.containerregistry/registries`,
    securityResources,
    subscriptions: {
      [subA]: {
        managedClusters: [hardenedAks, fillerAks[0]!, fillerAks[1]!, weakAks, fillerAks[2]!],
        registries: [premiumAcr, basicAcr],
        replications: {
          [acrId(subA, 'rg-shop', 'shopacr').toLowerCase()]: [replication(premiumAcr.id, 'westeurope'), replication(premiumAcr.id, 'northeurope'), replication(premiumAcr.id, 'eastus')],
        },
        diagnosticSettings: { [hardenedAks.id.toLowerCase()]: [auditSetting(hardenedAks.id)] },
      },
      [subC]: { managedClusters: [subCAks], registries: [] },
    },
  });
  credential = new TestTenantCredential({ [`${arm.endpoint}/.default`]: armToken, [acrScope]: acrAadToken });

  // The image: a real registry with token auth, behind a front that is its login server (ACR's layout).
  front = await startAcrFront();
  tokens = await startTokenServer({ dir: work, users: { pusher: 'push-secret' }, accessTokens: [acrAadToken] });
  registry = await startRegistry({ kind: 'token', realm: `http://${front.host}/oauth2/token`, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certFile });
  front.route({ registry: registry.host, tokens: new URL(tokens.url).host });
  const crane = await craneFor(front.host, 'pusher', 'push-secret');
  await writeLayout(join(work, 'debian'), await debianSpec());
  await crane('push', join(work, 'debian'), `${front.host}/shop/api:1.0`);
  imageDigest = await crane('digest', `${front.host}/shop/api:1.0`);
  securityResources.push(
    defenderRow({ digest: imageDigest, cve: 'CVE-2025-0395', severity: 'Medium', packageName: 'libc6', version: '2.36-9+deb12u7', fixedVersion: '2.36-9+deb12u10' }),
    // Exempted in Defender: NotApplicable, not a finding.
    defenderRow({ digest: imageDigest, cve: 'CVE-2023-4911', severity: 'High', packageName: 'libc6', version: '2.36-9+deb12u7', fixedVersion: '', code: 'NotApplicable' }),
    // Another image of the same repository.
    defenderRow({ digest: `sha256:${'0'.repeat(64)}`, cve: 'CVE-2024-2961', severity: 'High', packageName: 'libc6', version: '2.36-9+deb12u4', fixedVersion: '2.36-9+deb12u6' }),
  );
  const before = tokens.requests.length;

  result = await collectAzure({
    // The image lives in shopacr (subscription A, West Europe); its login server is served by the front.
    settings: { subscriptions: [subA, subDenied, subC], endpoint: arm.endpoint, images: ['shopacr.azurecr.io/shop/api:1.0'], concurrency: 2, maxRetries: 2 },
    credential,
    tls: { ca: arm.ca },
    images: { endpoints: { 'shopacr.azurecr.io': front.host }, insecureHosts: [front.host] },
    now,
  });
  tokens.requests.splice(0, before);
}, 60_000);

afterAll(async () => {
  await Promise.all([arm?.stop(), registry?.stop(), tokens?.stop(), front?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

const byId = <T extends Asset>(id: string): T => {
  const asset = result.assets.find((a) => a.id === id);
  if (!asset) throw new Error(`no asset ${id} among ${result.assets.map((a) => a.id).join(', ')}`);
  return asset as T;
};

/** A Defender for Containers sub-assessment row as Resource Graph returns it (docs/vulnerabilities.md). */
function defenderRow(v: { digest: string; cve: string; severity: string; packageName: string; version: string; fixedVersion: string; code?: string }): object {
  const registry = acrId(subA, 'rg-shop', 'shopacr');
  return {
    id: `${registry}/providers/Microsoft.Security/assessments/c0b7cfc6-3172-465a-b378-53c7ff2cc0d5/subassessments/${v.cve.toLowerCase()}-${v.digest.slice(7, 15)}`,
    name: `${v.cve.toLowerCase()}-${v.digest.slice(7, 15)}`,
    type: 'microsoft.security/assessments/subassessments',
    subscriptionId: subA,
    resourceGroup: 'rg-shop',
    properties: {
      id: v.cve,
      displayName: v.cve,
      additionalData: {
        assessedResourceType: 'AzureContainerRegistryVulnerability',
        vulnerabilityDetails: { severity: v.severity, cveId: v.cve, references: [{ title: v.cve, link: `https://nvd.nist.gov/vuln/detail/${v.cve}` }] },
        artifactDetails: { registryHost: 'shopacr.azurecr.io', repositoryName: 'shop/api', digest: v.digest, artifactType: 'ContainerImage', tags: ['1.0'] },
        softwareDetails: { category: 'OS', packageName: v.packageName, version: v.version, fixedVersion: v.fixedVersion, fixStatus: v.fixedVersion ? 'FixAvailable' : 'NoFixAvailable', osDetails: { osPlatform: 'linux', osVersion: 'debian_linux_12' } },
      },
      resourceDetails: { id: `/repositories/shop/api/images/${v.digest}`, source: 'Azure' },
      status: { code: v.code ?? 'Unhealthy', severity: v.severity },
    },
  };
}

describe('collectAzure', () => {
  it('reads every reachable subscription and records the refused one per service with ARM’s error', () => {
    expect(result.assets.map((a) => a.id)).toEqual([
      `azure://${subA}/eastus/acr/rg-legacy/legacyacr`,
      `azure://${subA}/eastus/aks/rg-legacy/aks-legacy`,
      `azure://${subA}/northeurope/aks/rg-batch/aks-a`,
      `azure://${subA}/northeurope/aks/rg-batch/aks-b`,
      `azure://${subA}/northeurope/aks/rg-batch/aks-c`,
      `azure://${subA}/westeurope/acr/rg-shop/shopacr`,
      `azure://${subA}/westeurope/aks/rg-shop/aks-shop`,
      `azure://${subC}/germanywestcentral/aks/rg-data/aks-data`,
      `oci://shopacr.azurecr.io/shop/api@${imageDigest}`,
    ]);
    for (const asset of result.assets) parseAsset(asset);
    expect(result.errors.map((e) => e.scope)).toEqual([`azure/${subDenied}/acr`, `azure/${subDenied}/aks`]);
    for (const error of result.errors) {
      expect(error.message).toBe('access denied (AuthorizationFailed): the identity may not read this scope (HTTP 403); grant it the Reader role on the subscription');
    }
  });

  it('follows nextLink across three pages and retries the throttled list after Retry-After', () => {
    const clusterPages = arm.requests.filter((r) => r.path === `/subscriptions/${subA}/providers/Microsoft.ContainerService/managedClusters`);
    expect(clusterPages.map((r) => r.skipToken)).toEqual([null, '2', '4']);
    const registryCalls = arm.requests.filter((r) => r.path === `/subscriptions/${subA}/providers/Microsoft.ContainerRegistry/registries`);
    expect(registryCalls.map((r) => r.status)).toEqual([429, 200]);
    expect(arm.requests.every((r) => r.status !== 401)).toBe(true);
    expect(new Set(credential.requestedScopes)).toEqual(new Set([`${arm.endpoint}/.default`, acrScope]));
  });

  it('normalizes AKS from the SDK’s flattened form, with diagnostic settings read through the same pipeline', () => {
    const shop = byId<KubernetesClusterAsset>(`azure://${subA}/westeurope/aks/rg-shop/aks-shop`);
    expect(shop.rawForm).toBe('arm-sdk');
    const resource = shop.raw.resource as Record<string, any>;
    expect(resource).not.toHaveProperty('properties');
    expect(resource.enableRbac).toBe(true); // renamed by the SDK from enableRBAC
    expect(resource.aadProfile.enableAzureRbac).toBe(true);
    expect(shop.raw.diagnosticSettings).toEqual([auditSetting(hardenedAks.id)]);
    expect(shop.cluster).toMatchObject({
      distribution: 'aks',
      version: '1.32.2',
      endpoint: { public: false, private: true, allowedCidrs: [] },
      rbac: true,
      networkPolicy: true,
      secretsEncryption: { enabled: true, keyId: 'https://kv-shop.vault.azure.net/keys/etcd/0123456789abcdef0123456789abcdef' },
      auditLogging: true,
      locations: ['westeurope'],
    });
    expect(shop.cluster.nodePools![0]).toMatchObject({ name: 'system', locations: ['westeurope-1', 'westeurope-2', 'westeurope-3'], publicIp: false });
    expect(shop.jurisdiction).toBe('EU');
    expect(shop.tags['data-classification']).toBe('restricted');

    const legacy = byId<KubernetesClusterAsset>(`azure://${subA}/eastus/aks/rg-legacy/aks-legacy`);
    expect(legacy.cluster).toMatchObject({ rbac: false, networkPolicy: false, auditLogging: false, endpoint: { public: true, allowedCidrs: ['0.0.0.0/0'] } });
    expect(legacy.raw.diagnosticSettings).toEqual([]);
  });

  it('normalizes ACR registries: admin user, anonymous pull, network rules, policies and geo-replicas', () => {
    const shop = byId<ImageStoreAsset>(`azure://${subA}/westeurope/acr/rg-shop/shopacr`);
    expect(shop.rawForm).toBe('arm-sdk');
    const resource = shop.raw.resource as Record<string, any>;
    expect(resource.networkRuleSet.ipRules).toEqual([{ action: 'Allow', iPAddressOrRange: '203.0.113.0/24' }]);
    expect(resource.creationDate).toBe('2025-02-01T09:00:00.123Z'); // Date → ISO string in raw
    expect(resource.policies.quarantinePolicy).toEqual({ status: 'enabled' });
    expect(shop.registry).toEqual({
      service: 'acr',
      name: 'shopacr',
      uri: 'shopacr.azurecr.io',
      scanOnPush: null,
      tagImmutable: null,
      encryption: { type: 'CMK', keyId: 'https://kv-shop.vault.azure.net/keys/acr' },
      publicAccess: false,
      adminUser: false,
      lifecyclePolicy: true,
      replicaLocations: ['eastus', 'northeurope'],
      // What only ACR rules judge, read from the SDK's flattened form like any other field.
      acr: { sku: 'Premium', anonymousPullEnabled: false, publicNetworkAccess: 'Enabled', networkDefaultAction: 'Deny', exportPolicy: 'disabled', privateEndpointStates: [] },
    });
    const legacy = byId<ImageStoreAsset>(`azure://${subA}/eastus/acr/rg-legacy/legacyacr`);
    expect(legacy.registry).toMatchObject({ adminUser: true, publicAccess: true, lifecyclePolicy: false, encryption: { type: 'MICROSOFT_MANAGED', keyId: null }, replicaLocations: [] });
    expect(legacy.raw.replications).toEqual([]);
  });

  it('normalizes the ARM wire form of the same resources to the same fields (the local-file path)', () => {
    const ctx = { collectedAt: now.toISOString() };
    const replicas = [replication(premiumAcr.id, 'westeurope'), replication(premiumAcr.id, 'northeurope'), replication(premiumAcr.id, 'eastus')];
    const wire = normalizeAcrRegistry({ resource: premiumAcr, replications: replicas }, ctx);
    const sdk = byId<ImageStoreAsset>(`azure://${subA}/westeurope/acr/rg-shop/shopacr`);
    expect(wire.rawForm).toBe('arm-rest');
    expect(wire.id).toBe(sdk.id);
    expect(wire.registry).toEqual(sdk.registry);
    expect(acrAllowedRanges(premiumAcr)).toEqual(['203.0.113.0/24']);
    expect(acrAllowedRanges(sdk.raw.resource)).toEqual(['203.0.113.0/24']);
    const aks = normalizeAksCluster({ resource: hardenedAks, diagnosticSettings: [auditSetting(hardenedAks.id)] }, ctx);
    expect(aks.cluster).toEqual(byId<KubernetesClusterAsset>(`azure://${subA}/westeurope/aks/rg-shop/aks-shop`).cluster);
  });

  it('pulls the ACR image with an Entra token exchanged for a registry refresh token at the login server', () => {
    const image = byId<ImageAsset>(`oci://shopacr.azurecr.io/shop/api@${imageDigest}`);
    expect(image).toMatchObject({ provider: 'azure', account: subA, region: 'westeurope', jurisdiction: 'EU' });
    expect(image.image.contents?.os?.id).toBe('debian');
    expect(image.image.scanErrors).toEqual([]);
    expect(tokens.requests).toEqual([
      { path: '/oauth2/exchange', grant: 'access_token', ok: true },
      { path: '/oauth2/token', grant: 'refresh_token', ok: true },
    ]);
  });

  it("reads Defender for Containers' findings for the pulled image from Resource Graph, leaving exempted ones out", () => {
    const image = byId<ImageAsset>(`oci://shopacr.azurecr.io/shop/api@${imageDigest}`);
    expect(image.image.nativeVulnerabilities).toEqual([
      { scanner: 'defender', id: 'CVE-2025-0395', aliases: [], severity: 'medium', packageName: 'libc6', packageVersion: '2.36-9+deb12u7', fixedVersion: '2.36-9+deb12u10', uri: 'https://nvd.nist.gov/vuln/detail/CVE-2025-0395' },
    ]);
    expect(image.raw.nativeScan).toMatchObject({ scanner: 'defender', status: 'reported', findings: 1, truncated: false });
    // One query, for this digest and host, in the registry's subscription.
    expect(arm.graphQueries).toHaveLength(1);
    expect(arm.graphQueries[0]).toMatchObject({ subscriptions: [subA], options: { resultFormat: 'objectArray', $top: 1000 } });
    expect(arm.graphQueries[0]!.query).toContain(`== '${imageDigest}'`);
    expect(arm.graphQueries[0]!.query).toContain("=~ 'shopacr.azurecr.io'");
  });

  it('feeds the Wasm engine: the weak cluster and the US geo-replica of a restricted registry fail', async () => {
    const engine = await Engine.load({ config: parseConfig({}), now });
    const rules = (id: string) => [...new Set(engine.evaluate(parseAsset(byId(id))).map((f) => f.ruleId))];
    const legacy = rules(`azure://${subA}/eastus/aks/rg-legacy/aks-legacy`);
    expect(legacy).toEqual(expect.arrayContaining(['CLU-002', 'AKS-003', 'CLU-006', 'CLU-004']));
    const shop = rules(`azure://${subA}/westeurope/aks/rg-shop/aks-shop`);
    for (const id of ['CLU-001', 'CLU-002', 'AKS-003', 'CLU-006', 'CLU-004']) expect(shop).not.toContain(id);
    const replicas = engine.evaluate(parseAsset(byId(`azure://${subA}/westeurope/acr/rg-shop/shopacr`))).filter((f) => f.ruleId === 'DR-005');
    expect(replicas.map((f) => f.path)).toEqual(['replications/eastus']);
  });

  it('keeps bearer tokens off plain HTTP: an http:// ARM endpoint is refused by config validation', async () => {
    await expect(collectAzure({ settings: { subscriptions: [subA], endpoint: 'http://127.0.0.1:1' }, credential })).rejects.toThrow(/https:\/\/ origin/);
  });

  it('refuses to send the ARM token over plain HTTP even when the SDK client is pointed there directly', async () => {
    const client = new ContainerServiceClient(credential, subA, { endpoint: arm.endpoint.replace('https:', 'http:'), retryOptions: { maxRetries: 0 } });
    const iterate = async () => {
      for await (const _ of client.managedClusters.list()) void _;
    };
    await expect(iterate()).rejects.toThrow(/Bearer token authentication is not permitted for non-TLS protected \(non-https\) URLs/);
  });

  it('rejects a config without subscriptions or with a malformed id, naming the field', async () => {
    await expect(collectAzure({ settings: {}, credential })).rejects.toThrow(/azure\.subscriptions is empty/);
    await expect(collectAzure({ settings: { subscriptions: ['not-a-guid'] }, credential })).rejects.toThrow(/GUID/);
  });
});
