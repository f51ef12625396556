// A rule renamed or merged into a cross-cloud rule keeps its earlier ids as aliases: findings, tickets,
// exceptions and history recorded under them carry over, on a recorded state, on both backends.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ExceptionSet, modeFor, ModesConfig } from '../../core/exceptions.ts';
import { fingerprintOf, type Finding } from '../../core/finding.ts';
import { recordScan } from '../../core/lifecycle.ts';
import { ManualClock } from '../../core/state/clock.ts';
import type { StateStore } from '../../core/state/store.ts';
import { asset, dynamoBackend, finding, scan, sqliteBackend, type Backend } from './support.ts';

const targets = ['jira', 'servicenow'];

/** The finding the merged rule reports where the legacy one did: new id and path, the old ones as aliases. */
function merged(ruleId: string, path: string, aliases: { id: string; path: string }[], evidence: unknown): Finding {
  return {
    ...finding(ruleId, path, evidence),
    aliases: aliases.map((a) => a.id),
    previousFingerprints: aliases.map((a) => fingerprintOf(asset.id, a.id, a.path)),
  };
}

describe.each([sqliteBackend(), dynamoBackend()])('alias carry-over on $name', (backend: Backend) => {
  let store: StateStore;
  let clock: ManualClock;
  const opts = () => ({ targets, clock });

  beforeEach(async () => {
    store = await backend.open();
    clock = new ManualClock();
    return () => store.close();
  });
  afterAll(() => backend.teardown());

  // Before: the EKS-only rule and its path. After: the cross-cloud rule, judging the normalized field.
  const legacy = finding('EKS-001', 'endpoint/public', { public: true, private: false });
  const aliases = [
    { id: 'EKS-001', path: 'endpoint/public' },
    { id: 'AKS-001', path: 'apiServerAccessProfile/enablePrivateCluster' },
    { id: 'GKE-002', path: 'controlPlaneEndpointsConfig/ipEndpointsConfig/enablePublicEndpoint' },
  ];
  const now = merged('CLU-001', 'cluster/endpoint/public', aliases, { public: true });
  const judged = ['CLU-001', 'EKS-001', 'AKS-001', 'GKE-002'];

  /** Records the legacy finding and delivers its tickets, as a deployment before the upgrade would have. */
  async function recordedState(): Promise<void> {
    await recordScan(store, scan([legacy]), opts());
    const intents = await store.claimIntents({ targets, owner: 'drain', now: clock.now(), leaseMs: 30_000, limit: 10 });
    expect(intents.map((i) => `${i.target}:${i.action}`).sort()).toEqual(['jira:create', 'servicenow:create']);
    for (const i of intents) await store.completeIntent(i, 'drain', i.target === 'jira' ? 'SEC-42' : 'INC0010042');
  }

  it('continues the open record and its tickets: no new record, no create, the ticket is updated', async () => {
    await recordedState();
    clock.advance(60_000);
    const summary = await recordScan(store, scan([now], { evaluatedRules: judged }), opts());
    expect(summary.transitions).toMatchObject({ opened: 0, resolved: 0, updated: 1 });
    const records = await store.listByAsset(asset.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ fingerprint: legacy.fingerprint, ruleId: 'CLU-001', status: 'open', tickets: { jira: 'SEC-42', servicenow: 'INC0010042' } });
    expect(records[0]!.finding.path).toBe('cluster/endpoint/public');
    expect(await store.getRecord(now.fingerprint)).toBeUndefined();
    const intents = await store.listIntents();
    expect(intents.map((i) => `${i.target}:${i.action}:${i.fingerprint === legacy.fingerprint}`).sort()).toEqual(['jira:update:true', 'servicenow:update:true']);

    // And again on the next scan: still the one record, nothing new to publish.
    clock.advance(60_000);
    const again = await recordScan(store, scan([now], { evaluatedRules: judged }), opts());
    expect(again.transitions).toMatchObject({ opened: 0, unchanged: 1 });
    expect(await store.listByAsset(asset.id)).toHaveLength(1);
  });

  it('resolves the legacy record when the merged rule no longer finds the problem', async () => {
    await recordedState();
    const summary = await recordScan(store, scan([], { evaluatedRules: judged }), opts());
    expect(summary.transitions).toMatchObject({ resolved: 1, opened: 0 });
    expect(await store.getRecord(legacy.fingerprint)).toMatchObject({ status: 'resolved', tickets: { jira: 'SEC-42' } });
  });

  it('reopens a resolved legacy record (same ticket) when the merged rule finds the problem again', async () => {
    await recordedState();
    await recordScan(store, scan([], { evaluatedRules: judged }), opts());
    const summary = await recordScan(store, scan([now], { evaluatedRules: judged }), opts());
    expect(summary.transitions).toMatchObject({ reopened: 1, opened: 0 });
    expect(await store.listByAsset(asset.id)).toHaveLength(1);
  });

  it('keeps an exception written for the earlier id in force', async () => {
    await recordedState();
    const exceptions = new ExceptionSet(
      [{ id: 'vpn-only', rule: 'EKS-001', assets: {}, owner: 'sec@example.com', reason: 'endpoint reachable through the VPN only', expires: '2099-12-31' }],
      new Date(clock.now()),
    );
    const summary = await recordScan(store, scan([now], { evaluatedRules: judged }), { ...opts(), exceptions });
    expect(summary.transitions).toMatchObject({ suppressed: 1, opened: 0 });
    expect(await store.getRecord(legacy.fingerprint)).toMatchObject({ status: 'suppressed', ruleId: 'CLU-001', suppression: { exceptionId: 'vpn-only' } });
    expect(modeFor(now, ModesConfig.parse({ rules: { 'GKE-002': 'audit' } }))).toBe('audit');
  });

  it('never carries one record over twice, and leaves a finding without a previous record new', async () => {
    await recordedState();
    const other = merged('CLU-001', 'cluster/endpoint/other', aliases, { public: true });
    const summary = await recordScan(store, scan([now, other], { evaluatedRules: judged }), opts());
    expect(summary.transitions).toMatchObject({ opened: 1, updated: 1 });
    expect((await store.listByAsset(asset.id)).map((r) => r.fingerprint).sort()).toEqual([legacy.fingerprint, other.fingerprint].sort());
  });
});
