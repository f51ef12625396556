// Upgrading to the cross-cloud cluster rules on a deployment that already has tickets. A fixture estate
// with one EKS, one AKS and one GKE cluster, each with the weaknesses the per-cloud rules judged, is first
// scanned with those rules as they were (test/state/legacy-rules, built into a bundle of their own), its
// findings recorded and their tickets delivered to the Jira, ServiceNow and webhook stand-ins. The same
// estate is then scanned with the current rules: not one ticket is created, every finding continues the
// record and the tickets it had, and a fix and a regression resolve and reopen those same tickets. On the
// SQLite and the DynamoDB (moto) state backends alike.
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { ExceptionSet } from '../../core/exceptions.ts';
import { recordScanResult } from '../../core/record-result.ts';
import { scanAssets, type ScanResult } from '../../core/scan.ts';
import type { FindingRecord } from '../../core/state/record.ts';
import type { StateStore } from '../../core/state/store.ts';
import { Engine } from '../../policies/engine.ts';
import { policiesDir } from '../../policies/layout.ts';
import { normalizeEksCluster } from '../../providers/aws/normalize/eks-cluster.ts';
import { normalizeAksCluster } from '../../providers/azure/normalize-aks.ts';
import { normalizeGkeCluster } from '../../providers/gcp/normalize-gke.ts';
import { fingerprintLabel } from '../../publishers/jira.ts';
import { buildPolicies } from '../../scripts/build-policies.ts';
import { startServices, type Services } from '../publishers/support/harness.ts';
import { type Backend, dynamoBackend, sqliteBackend } from './support.ts';

const now = new Date('2026-11-01T00:00:00Z');
const ctx = { collectedAt: now.toISOString(), source: 'merged-rules test' };

// ---- the estate (answers written from the EKS, ARM and GKE API references) --------------------------

const account = '123456789012';
const eks = () =>
  normalizeEksCluster(
    {
      cluster: {
        name: 'shop',
        arn: `arn:aws:eks:eu-west-1:${account}:cluster/shop`,
        version: '1.29',
        resourcesVpcConfig: { subnetIds: ['subnet-0a1b2c3d'], endpointPublicAccess: true, endpointPrivateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
        logging: { clusterLogging: [{ types: ['api'], enabled: true }, { types: ['audit'], enabled: false }] },
        identity: { oidc: { issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/5C2F8A1E0B9D4C7E6F3A2B1C0D9E8F7A' } },
        accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
        tags: { 'data-classification': 'internal' },
      },
      nodegroups: [{ nodegroupName: 'general', version: '1.28', subnets: ['subnet-0a1b2c3d'], amiType: 'AL2023_x86_64_STANDARD' }],
      addons: [{ addonName: 'vpc-cni', addonVersion: 'v1.19.2-eksbuild.1', configurationValues: '{"enableNetworkPolicy":"false"}' }],
      subnets: [{ SubnetId: 'subnet-0a1b2c3d', AvailabilityZone: 'eu-west-1a', MapPublicIpOnLaunch: true }],
      oidcProviders: [],
      podIdentityAssociations: [],
    },
    ctx,
  );

const aksId = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop';
const aksProperties = (patch: Record<string, unknown> = {}) => ({
  kubernetesVersion: '1.29.9',
  currentKubernetesVersion: '1.29.9',
  enableRBAC: true,
  aadProfile: { managed: true },
  disableLocalAccounts: true,
  apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: [] },
  networkProfile: { networkPlugin: 'kubenet', networkPolicy: 'none' },
  securityProfile: { defender: { securityMonitoring: { enabled: true } } },
  oidcIssuerProfile: { enabled: false },
  autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
  servicePrincipalProfile: { clientId: 'msi' },
  addonProfiles: { azurepolicy: { enabled: true } },
  azureMonitorProfile: { metrics: { enabled: true } },
  diskEncryptionSetID: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-shop/providers/Microsoft.Compute/diskEncryptionSets/des',
  agentPoolProfiles: ['system', 'edge'].map((name) => ({
    name,
    mode: name === 'system' ? 'System' : 'User',
    orchestratorVersion: '1.29.9',
    enableNodePublicIP: true,
    enableEncryptionAtHost: true,
    securityProfile: { sshAccess: 'Disabled' },
  })),
  ...patch,
});
const aks = (patch: Record<string, unknown> = {}) =>
  normalizeAksCluster(
    {
      resource: { id: aksId, name: 'aks-shop', location: 'westeurope', identity: { type: 'SystemAssigned' }, tags: { 'data-classification': 'internal' }, properties: aksProperties(patch) },
      diagnosticSettings: [],
    },
    ctx,
  );

const gkePool = (name: string) => ({
  name,
  version: '1.29.15-gke.1000',
  locations: ['europe-west1-b'],
  config: {
    imageType: 'COS_CONTAINERD',
    serviceAccount: 'nodes@shop-prod.iam.gserviceaccount.com',
    workloadMetadataConfig: { mode: 'GKE_METADATA' },
    shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    bootDiskKmsKey: 'projects/shop-prod/locations/europe-west1/keyRings/gke/cryptoKeys/boot',
  },
  management: { autoUpgrade: true, autoRepair: true },
});
const gke = () =>
  normalizeGkeCluster(
    {
      cluster: {
        name: 'shop',
        selfLink: 'https://container.googleapis.com/v1/projects/shop-prod/locations/europe-west1/clusters/shop',
        location: 'europe-west1',
        locations: ['europe-west1-b'],
        currentMasterVersion: '1.29.15-gke.1000',
        resourceLabels: { 'data-classification': 'internal' },
        masterAuth: { clientCertificateConfig: {} },
        masterAuthorizedNetworksConfig: { enabled: false },
        privateClusterConfig: { enablePrivateNodes: false, enablePrivateEndpoint: false },
        networkPolicy: { enabled: false },
        ipAllocationPolicy: { useIpAliases: true },
        databaseEncryption: { state: 'DECRYPTED' },
        releaseChannel: { channel: 'REGULAR' },
        shieldedNodes: { enabled: true },
        binaryAuthorization: { evaluationMode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
        securityPostureConfig: { mode: 'BASIC', vulnerabilityMode: 'VULNERABILITY_BASIC' },
        nodePools: [gkePool('default-pool'), gkePool('batch')],
      },
    },
    ctx,
  );

const estate = (aksPatch: Record<string, unknown> = {}): Asset[] => [eks(), aks(aksPatch), gke()].map(parseAsset);

/** The per-cloud rules each CLU rule replaced, and the ids of rules that kept theirs but gave a part away. */
const retired = ['AKS-001', 'AKS-002', 'AKS-005', 'AKS-007', 'AKS-009', 'AKS-012', 'EKS-001', 'EKS-002', 'EKS-003', 'EKS-004', 'EKS-005', 'EKS-007', 'EKS-008', 'EKS-010', 'GKE-001', 'GKE-002', 'GKE-003'];
const split = ['AKS-010', 'AKS-014', 'GKE-005', 'GKE-006', 'GKE-008', 'GKE-012'];

// ---- the bundle as it was -----------------------------------------------------------------------------

const legacyDir = path.join(import.meta.dirname, 'legacy-rules');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** Today's policy tree with the cross-cloud rules taken out and the per-cloud rules put back, built like any bundle. */
async function legacyBundle(work: string): Promise<string> {
  const dir = path.join(work, 'policies');
  for (const part of ['main.rego', 'lib', 'rules', 'data', 'frameworks']) cpSync(path.join(policiesDir, part), path.join(dir, part), { recursive: true });
  rmSync(path.join(dir, 'rules', 'cluster', 'common'), { recursive: true });
  const replaced = new Set(split.map((id) => `${id.toLowerCase().replace('-', '_')}_`));
  for (const file of walk(path.join(dir, 'rules'))) {
    const name = path.basename(file);
    if (name.endsWith('_test.rego') || [...replaced].some((prefix) => name.startsWith(prefix))) rmSync(file);
  }
  for (const file of walk(path.join(dir, 'lib'))) if (file.endsWith('_test.rego')) rmSync(file);
  cpSync(path.join(legacyDir, 'rules'), path.join(dir, 'rules', 'cluster', 'legacy'), { recursive: true });
  cpSync(path.join(legacyDir, 'lib'), path.join(dir, 'lib'), { recursive: true });
  const dist = path.join(work, 'dist');
  await buildPolicies({ force: true, policies: dir, dist, note: () => {} });
  return dist;
}

// ---- the scenario, on both state backends ------------------------------------------------------------

let work: string;
let before: Engine;
let after: Engine;
const config = parseConfig({});

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'posture-merged-rules-'));
  before = await Engine.load({ config, dist: await legacyBundle(work), now });
  after = await Engine.load({ config, now });
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the fixture estate under both rule sets', () => {
  it('gives the per-cloud ids before and the CLU ids after, each CLU finding naming the record it continues', () => {
    const old = scanAssets(before, estate());
    const firedBefore = new Set(old.findings.map((f) => f.ruleId));
    // Every retired id fires on the estate: the carry-over below is shown for each of them.
    for (const id of retired) expect(firedBefore, id).toContain(id);
    const current = scanAssets(after, estate());
    const firedAfter = new Set(current.findings.map((f) => f.ruleId));
    for (const id of retired) expect(firedAfter).not.toContain(id);
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) expect(firedAfter).toContain(`CLU-00${n}`);
    // What the rules judged is the same problem set: the same number of findings, each a continuation.
    expect(current.findings).toHaveLength(old.findings.length);
    const earlier = new Set(old.findings.map((f) => f.fingerprint));
    for (const f of current.findings) {
      const continues = earlier.has(f.fingerprint) || (f.previousFingerprints ?? []).some((p) => earlier.has(p));
      expect(continues, `${f.ruleId} ${f.assetId} ${f.path}`).toBe(true);
    }
  });
});

describe.each([sqliteBackend(), dynamoBackend()])('upgrading a recorded state to the merged rules on $name', (backend: Backend) => {
  let store: StateStore;
  let svc: Services;
  let legacy: ScanResult;
  /** fingerprint → the Jira key delivered for it before the upgrade. */
  let jiraKeys: Map<string, string>;

  const record = (scan: ScanResult, exceptions?: ExceptionSet) => recordScanResult(store, scan, scan.bundleDigest, { targets: svc.targets, clock: svc.clock, ...(exceptions ? { exceptions } : {}) });
  const byAsset = async (scan: ScanResult) => (await Promise.all(scan.assets.map((a) => store.listByAsset(a.id)))).flat();

  beforeEach(async () => {
    store = await backend.open();
    svc = await startServices();
    legacy = scanAssets(before, estate());
    await record(legacy);
    const delivered = await svc.drain(store);
    expect(delivered).toMatchObject({ created: legacy.findings.length * svc.targets.length, parked: 0 });
    jiraKeys = new Map((await byAsset(legacy)).map((r) => [r.fingerprint, r.tickets.jira!]));
    expect(jiraKeys.size).toBe(legacy.findings.length);
    svc.clock.advance(3_600_000);
  }, 120_000);
  afterEach(async () => {
    await store.close();
    await svc.close();
  });
  afterAll(() => backend.teardown());

  it('creates not one ticket: every finding continues its record and tickets, now under its CLU id', async () => {
    const upgraded = scanAssets(after, estate());
    await record(upgraded);
    // Evidence now shows the normalized values the rules judge: tickets may be updated, never created.
    const published = await svc.drain(store);
    expect(published).toMatchObject({ created: 0, resolved: 0, reopened: 0, parked: 0 });
    expect(svc.jira.issues()).toHaveLength(legacy.findings.length);
    expect(svc.servicenow.rows()).toHaveLength(legacy.findings.length);

    const records = await byAsset(upgraded);
    expect(records).toHaveLength(legacy.findings.length);
    expect(records.every((r) => r.status === 'open')).toBe(true);
    expect(records.map((r) => r.ruleId).filter((id) => retired.includes(id))).toEqual([]);
    for (const r of records) expect(r.tickets.jira, `${r.ruleId} ${r.finding.path}`).toBe(jiraKeys.get(r.fingerprint));
    const upgradedRules = new Set(records.map((r) => r.ruleId));
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) expect(upgradedRules).toContain(`CLU-00${n}`);
    // One Jira issue per finding, still: each finding's own label, on the issue it always had.
    for (const r of records) expect(svc.jira.withLabel(fingerprintLabel(r.fingerprint)).map((i) => i.key)).toEqual([jiraKeys.get(r.fingerprint)]);

    // And the scan after that changes nothing.
    svc.clock.advance(60_000);
    await record(scanAssets(after, estate()));
    expect(await svc.drain(store)).toMatchObject({ created: 0, updated: 0, resolved: 0, reopened: 0 });
  });

  it('resolves and reopens the carried-over ticket: the AKS cluster made private, then public again', async () => {
    await record(scanAssets(after, estate()));
    await svc.drain(store);
    const aksAsset = estate()[1]!;
    const endpoint = (await store.listByAsset(aksAsset.id)).find((r) => r.ruleId === 'CLU-001')!;
    const key = jiraKeys.get(endpoint.fingerprint)!;
    expect(legacy.findings.find((f) => f.fingerprint === endpoint.fingerprint)).toMatchObject({ ruleId: 'AKS-001', path: 'apiServerAccessProfile/enablePrivateCluster' });

    svc.clock.advance(60_000);
    await record(scanAssets(after, estate({ apiServerAccessProfile: { enablePrivateCluster: true } })));
    expect(await svc.drain(store)).toMatchObject({ created: 0, reopened: 0 });
    expect(await store.getRecord(endpoint.fingerprint)).toMatchObject({ status: 'resolved', ruleId: 'CLU-001', tickets: { jira: key } });
    const issue = svc.jira.withLabel(fingerprintLabel(endpoint.fingerprint))[0]!;
    expect(issue.key).toBe(key);
    expect(svc.jira.statusOf(issue)).toBe('Done');

    svc.clock.advance(60_000);
    await record(scanAssets(after, estate()));
    expect(await svc.drain(store)).toMatchObject({ created: 0 });
    expect(await store.getRecord(endpoint.fingerprint)).toMatchObject({ status: 'reopened', tickets: { jira: key } });
    expect(svc.jira.statusOf(issue)).toBe('To Do');
    expect(issue.history.filter((h) => h !== 'commented')).toEqual(['created', 'Done', 'Reopen']);
    expect(svc.jira.issues()).toHaveLength(legacy.findings.length);
  });

  it('resolves a record the merged rule judges fixed even if nothing carried it over', async () => {
    // Fixed between the last scan under the old rules and the first under the new: the GKE-002 record
    // has no CLU-001 finding to continue it, and CLU-001 (its successor) judged the cluster: resolved.
    const fixed = estate().map((a) =>
      a.kind === 'cluster' && a.cluster.distribution === 'gke' ? { ...a, cluster: { ...a.cluster, endpoint: { ...a.cluster.endpoint, public: false, allowedCidrs: [] } } } : a,
    ) as Asset[];
    const gkeEndpoint = legacy.findings.find((f) => f.ruleId === 'GKE-002')!;
    await record(scanAssets(after, fixed));
    expect(await svc.drain(store)).toMatchObject({ created: 0 });
    expect(await store.getRecord(gkeEndpoint.fingerprint)).toMatchObject({ status: 'resolved', ruleId: 'GKE-002', tickets: { jira: jiraKeys.get(gkeEndpoint.fingerprint) } });
    expect(svc.jira.statusOf(svc.jira.withLabel(fingerprintLabel(gkeEndpoint.fingerprint))[0]!)).toBe('Done');
  });

  it('keeps adding to the issue of the earlier id in rule-asset-group mode: no group issue is opened for a CLU id', async () => {
    const grouped = await startServices({ jiraConfig: { grouping: 'rule-asset-group', groupBy: 'account' } });
    const own = await backend.open();
    try {
      const drainGrouped = () => grouped.drain(own, {}, grouped.publishers.filter((p) => p.name === 'jira'));
      await recordScanResult(own, legacy, legacy.bundleDigest, { targets: ['jira'], clock: grouped.clock });
      await drainGrouped();
      const issues = grouped.jira.issues().length;
      // One issue per earlier rule id and account: as many as distinct (rule, asset) pairs here (one cluster per account).
      expect(issues).toBe(new Set(legacy.findings.map((f) => `${f.ruleId} ${f.assetId}`)).size);
      grouped.clock.advance(3_600_000);
      await recordScanResult(own, scanAssets(after, estate()), after.bundleDigest, { targets: ['jira'], clock: grouped.clock });
      expect(await drainGrouped()).toMatchObject({ created: 0, parked: 0 });
      expect(grouped.jira.issues()).toHaveLength(issues);
    } finally {
      await own.close();
      await grouped.close();
    }
  });

  it("keeps an exception written for an earlier id in force, on that id's own cloud only", async () => {
    const exceptions = new ExceptionSet(
      [{ id: 'vpn-only', rule: 'AKS-001', assets: {}, owner: 'sec@example.com', reason: 'reachable through the VPN only', expires: '2099-12-31' }],
      new Date(svc.clock.now()),
    );
    const upgraded = scanAssets(after, estate());
    await record(upgraded, exceptions);
    const endpoints = (await byAsset(upgraded)).filter((r) => r.ruleId === 'CLU-001');
    const statusOf = (distribution: string) => endpoints.find((r: FindingRecord) => r.assetId.includes(`/${distribution}/`))!.status;
    expect(statusOf('aks')).toBe('suppressed');
    expect(statusOf('eks')).toBe('open');
    expect(statusOf('gke')).toBe('open');
    expect(await svc.drain(store)).toMatchObject({ created: 0, resolved: svc.targets.length });
  });
});
