// Upgrading to the cross-cloud cluster rules on a deployment that already has tickets. A fixture estate
// with one EKS, one AKS and one GKE cluster, each with the weaknesses the per-cloud rules judged, is first
// scanned with those rules as they were (test/state/legacy-rules, built into a bundle of their own), its
// findings recorded and their tickets delivered to the Jira, ServiceNow and webhook stand-ins (Jira alone,
// one issue per rule and account, in rule-asset-group mode). The same estate is then scanned with the current
// rules: not one ticket is created, every finding continues the record and the tickets it had, and a fix and
// a regression resolve and reopen those same tickets. On the SQLite and the DynamoDB (moto) state backends alike.
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  /** fingerprint → every target's ticket reference before the upgrade. */
  let ticketsBefore: Map<string, FindingRecord['tickets']>;

  /** The publishing targets of this deployment: all three stand-ins, or Jira alone for its group mode. */
  let targets: string[];
  const record = (scan: ScanResult, exceptions?: ExceptionSet) => recordScanResult(store, scan, scan.bundleDigest, { targets, clock: svc.clock, ...(exceptions ? { exceptions } : {}) });
  const deliver = () => svc.drain(store, {}, svc.publishers.filter((p) => targets.includes(p.name)));
  const byAsset = async (scan: ScanResult) => (await Promise.all(scan.assets.map((a) => store.listByAsset(a.id)))).flat();

  /** The deployment before the upgrade: the per-cloud rules' findings recorded and their tickets created. */
  async function recordedState(jiraConfig?: Record<string, unknown>): Promise<void> {
    store = await backend.open();
    svc = await startServices(jiraConfig ? { jiraConfig } : {});
    targets = jiraConfig ? ['jira'] : svc.targets;
    legacy = scanAssets(before, estate());
    await record(legacy);
    const delivered = await deliver();
    expect(delivered).toMatchObject({ parked: 0, outbox: { pending: 0, parked: 0 } });
    const recorded = await byAsset(legacy);
    jiraKeys = new Map(recorded.map((r) => [r.fingerprint, r.tickets.jira!]));
    ticketsBefore = new Map(recorded.map((r) => [r.fingerprint, r.tickets]));
    svc.clock.advance(3_600_000);
  }
  afterEach(async () => {
    await store.close();
    await svc.close();
  });
  afterAll(() => backend.teardown());

  it('creates not one ticket, continues every record and ticket under its CLU id, and resolves, reopens and suppresses them as before', async () => {
    await recordedState();
    expect(targets).toEqual(expect.arrayContaining(['jira', 'servicenow', 'webhook']));
    expect(jiraKeys.size).toBe(legacy.findings.length);
    expect(svc.jira.issues()).toHaveLength(legacy.findings.length);
    expect(svc.servicenow.rows()).toHaveLength(legacy.findings.length);

    // The upgrade: the same estate under the current rules.
    const upgraded = scanAssets(after, estate());
    await record(upgraded);
    // Evidence now shows the normalized values the rules judge: tickets may be updated, never created.
    expect(await deliver()).toMatchObject({ created: 0, resolved: 0, reopened: 0, parked: 0 });
    expect(svc.jira.issues()).toHaveLength(legacy.findings.length);
    expect(svc.servicenow.rows()).toHaveLength(legacy.findings.length);
    const records = await byAsset(upgraded);
    expect(records).toHaveLength(legacy.findings.length);
    expect(records.every((r) => r.status === 'open')).toBe(true);
    expect(records.map((r) => r.ruleId).filter((id) => retired.includes(id))).toEqual([]);
    for (const r of records) expect(r.tickets, `${r.ruleId} ${r.finding.path}`).toEqual(ticketsBefore.get(r.fingerprint));
    expect(records.every((r) => targets.every((t) => r.tickets[t]))).toBe(true);
    const upgradedRules = new Set(records.map((r) => r.ruleId));
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) expect(upgradedRules).toContain(`CLU-00${n}`);
    // One Jira issue per finding, still: each finding's own label, on the issue it always had.
    for (const r of records) expect(svc.jira.withLabel(fingerprintLabel(r.fingerprint)).map((i) => i.key)).toEqual([jiraKeys.get(r.fingerprint)]);

    // The scan after that changes nothing.
    svc.clock.advance(60_000);
    await record(scanAssets(after, estate()));
    expect(await deliver()).toMatchObject({ created: 0, updated: 0, resolved: 0, reopened: 0 });

    // The AKS cluster made private: the tickets AKS-001 (public endpoint) and AKS-002 (no authorized ranges on
    // it) opened are resolved, and reopened when it goes public again.
    const aksAsset = estate()[1]!;
    const endpoint = (await store.listByAsset(aksAsset.id)).find((r) => r.ruleId === 'CLU-001')!;
    const key = jiraKeys.get(endpoint.fingerprint)!;
    expect(legacy.findings.find((f) => f.fingerprint === endpoint.fingerprint)).toMatchObject({ ruleId: 'AKS-001', path: 'apiServerAccessProfile/enablePrivateCluster' });
    svc.clock.advance(60_000);
    await record(scanAssets(after, estate({ apiServerAccessProfile: { enablePrivateCluster: true } })));
    expect(await deliver()).toMatchObject({ created: 0, resolved: 2 * targets.length, reopened: 0 });
    const resolvedOnAks = (await store.listByAsset(aksAsset.id)).filter((r) => r.status === 'resolved');
    expect(resolvedOnAks.map((r) => `${r.ruleId} ${legacy.findings.find((f) => f.fingerprint === r.fingerprint)?.ruleId}`).sort()).toEqual(['CLU-001 AKS-001', 'CLU-002 AKS-002']);
    expect(await store.getRecord(endpoint.fingerprint)).toMatchObject({ status: 'resolved', ruleId: 'CLU-001', tickets: { jira: key } });
    const issue = svc.jira.withLabel(fingerprintLabel(endpoint.fingerprint))[0]!;
    expect(issue.key).toBe(key);
    expect(svc.jira.statusOf(issue)).toBe('Done');
    svc.clock.advance(60_000);
    await record(scanAssets(after, estate()));
    expect(await deliver()).toMatchObject({ created: 0, reopened: 2 * targets.length });
    expect(await store.getRecord(endpoint.fingerprint)).toMatchObject({ status: 'reopened', tickets: { jira: key } });
    expect(svc.jira.statusOf(issue)).toBe('To Do');
    expect(issue.history.filter((h) => h !== 'commented')).toEqual(['created', 'Done', 'Reopen']);

    // An exception written for AKS-001 covers CLU-001 on the AKS cluster, and only there.
    svc.clock.advance(60_000);
    const exceptions = new ExceptionSet(
      [{ id: 'vpn-only', rule: 'AKS-001', assets: {}, owner: 'sec@example.com', reason: 'reachable through the VPN only', expires: '2099-12-31' }],
      new Date(svc.clock.now()),
    );
    await record(scanAssets(after, estate()), exceptions);
    const endpoints = (await byAsset(upgraded)).filter((r) => r.ruleId === 'CLU-001');
    const statusOn = (distribution: string) => endpoints.find((r: FindingRecord) => r.assetId.includes(`/${distribution}/`))!.status;
    expect([statusOn('aks'), statusOn('eks'), statusOn('gke')]).toEqual(['suppressed', 'open', 'open']);
    expect(await deliver()).toMatchObject({ created: 0, resolved: targets.length });
    expect(svc.jira.issues()).toHaveLength(legacy.findings.length);
    expect(svc.servicenow.rows()).toHaveLength(legacy.findings.length);
  }, 240_000); // some 400 state and outbox round trips to moto, a single Python process, on a shared machine

  it('resolves what the merged rule judges fixed although nothing carried it over, and keeps Jira groups of the earlier ids', async () => {
    await recordedState({ grouping: 'rule-asset-group', groupBy: 'account' });
    // One issue per earlier rule id and account: as many as distinct (rule, asset) pairs (one cluster per account).
    const groups = new Set(legacy.findings.map((f) => `${f.ruleId} ${f.assetId}`)).size;
    expect(svc.jira.issues()).toHaveLength(groups);
    // The GKE control plane went private between the last scan under the old rules and the first under the
    // new: the GKE-002 record has no CLU-001 finding to continue it, and CLU-001 judged the cluster.
    const fixed = estate().map((a) =>
      a.kind === 'cluster' && a.cluster.distribution === 'gke' ? { ...a, cluster: { ...a.cluster, endpoint: { ...a.cluster.endpoint, public: false, allowedCidrs: [] } } } : a,
    ) as Asset[];
    const gkeEndpoint = legacy.findings.find((f) => f.ruleId === 'GKE-002')!;
    await record(scanAssets(after, fixed));
    expect(await deliver()).toMatchObject({ created: 0, parked: 0 });
    expect(await store.getRecord(gkeEndpoint.fingerprint)).toMatchObject({ status: 'resolved', ruleId: 'GKE-002' });
    // Every other finding joined the group issue its earlier id opened: not one group issue for a CLU id.
    expect(svc.jira.issues()).toHaveLength(groups);
    expect(svc.jira.issues().filter((i) => /CLU-/.test(i.fields.summary))).toEqual([]);
  }, 120_000);
});
