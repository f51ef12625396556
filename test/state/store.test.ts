// The finding lifecycle and the outbox, run against both backends with the same assertions.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ExceptionSet, ModesConfig } from '../../core/exceptions.ts';
import { recordScan, resolveMissingAssets } from '../../core/lifecycle.ts';
import { ManualClock } from '../../core/state/clock.ts';
import type { StateStore } from '../../core/state/store.ts';
import { asset, type Backend, dynamoBackend, finding, scan, sqliteBackend } from './support.ts';

const targets = ['jira', 'servicenow'];

describe.each([sqliteBackend(), dynamoBackend()])('finding state on $name', (backend: Backend) => {
  let store: StateStore;
  let clock: ManualClock;
  const opts = () => ({ targets, clock });

  beforeEach(async () => {
    store = await backend.open();
    clock = new ManualClock();
    return () => store.close();
  });
  afterAll(() => backend.teardown());

  const a = finding('EKS-001', 'endpoint/public');
  const b = finding('EKS-002', 'logging/audit');
  const c = finding('EKS-003', 'secrets/encryption');

  it('opens every new finding and writes one create intent per publisher', async () => {
    const summary = await recordScan(store, scan([a, b, c]), opts());
    expect(summary.transitions.opened).toBe(3);
    expect(summary.intents).toBe(6);
    const record = await store.getRecord(a.fingerprint);
    expect(record).toMatchObject({ status: 'open', firstSeen: record?.lastSeen, evidenceHash: a.evidenceHash, tickets: {}, version: 1 });
    const intents = await store.listIntents();
    expect(intents.map((i) => `${i.target}:${i.action}`).sort()).toEqual([...Array(3).fill('jira:create'), ...Array(3).fill('servicenow:create')]);
  });

  it('changes nothing when the same job is delivered again', async () => {
    const job = scan([a, b]);
    await recordScan(store, job, opts());
    clock.advance(60_000);
    const again = await recordScan(store, { ...job, scanId: 'redelivered' }, opts());
    expect(again.duplicate).toBe(true);
    expect((await store.getRecord(a.fingerprint))?.version).toBe(1);
    expect((await store.getRecord(a.fingerprint))?.lastScanId).toBe(job.scanId);
  });

  it('re-scan with nothing changed writes no intent but moves lastSeen', async () => {
    await recordScan(store, scan([a, b]), opts());
    const first = (await store.getRecord(a.fingerprint))!;
    const before = await store.listIntents();
    clock.advance(3_600_000);
    const summary = await recordScan(store, scan([a, b]), opts());
    expect(summary).toMatchObject({ duplicate: false, intents: 0 });
    expect(summary.transitions.unchanged).toBe(2);
    const after = (await store.getRecord(a.fingerprint))!;
    expect(after.firstSeen).toBe(first.firstSeen);
    expect(Date.parse(after.lastSeen) - Date.parse(first.lastSeen)).toBe(3_600_000);
    expect((await store.listIntents()).map((i) => i.rev)).toEqual(before.map((i) => i.rev));
  });

  it('resolves findings absent from a re-scan, and reopens them when they come back', async () => {
    await recordScan(store, scan([a, b]), opts());
    const fixed = await recordScan(store, scan([a]), opts());
    expect(fixed.transitions.resolved).toBe(1);
    const resolved = (await store.getRecord(b.fingerprint))!;
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedAt).not.toBeNull();
    expect((await store.listIntents()).filter((i) => i.fingerprint === b.fingerprint).map((i) => i.action)).toEqual(['resolve', 'resolve']);

    const regressed = await recordScan(store, scan([a, b]), opts());
    expect(regressed.transitions.reopened).toBe(1);
    const reopened = (await store.getRecord(b.fingerprint))!;
    expect(reopened).toMatchObject({ status: 'reopened', resolvedAt: null, firstSeen: resolved.firstSeen });
    expect((await store.listIntents()).filter((i) => i.fingerprint === b.fingerprint).map((i) => i.action)).toEqual(['reopen', 'reopen']);
  });

  it('leaves findings of rules the scan did not evaluate alone', async () => {
    await recordScan(store, scan([a, b]), opts());
    const partial = await recordScan(store, scan([a], { evaluatedRules: ['EKS-001'] }), opts());
    expect(partial.transitions.resolved).toBe(0);
    expect((await store.getRecord(b.fingerprint))?.status).toBe('open');
  });

  it('writes an update intent when the same problem changes its evidence', async () => {
    await recordScan(store, scan([a]), opts());
    const changed = finding('EKS-001', 'endpoint/public', { value: 'now open to 0.0.0.0/0' });
    const summary = await recordScan(store, scan([changed]), opts());
    expect(summary.transitions.updated).toBe(1);
    expect((await store.getRecord(a.fingerprint))?.evidenceHash).toBe(changed.evidenceHash);
    expect((await store.listIntents()).map((i) => i.action)).toEqual(['update', 'update']);
  });

  it('keeps a record consistent when two workers record the same asset at once', async () => {
    const other = await backend.openAnother(store);
    try {
      const results = await Promise.all([
        recordScan(store, scan([a, b, c]), opts()),
        recordScan(other, scan([a, b, c]), opts()),
        recordScan(store, scan([a, b, c]), opts()),
      ]);
      // Exactly one worker opened each finding; the others saw it open.
      expect(results.reduce((n, r) => n + r.transitions.opened, 0)).toBe(3);
      expect(results.reduce((n, r) => n + r.transitions.unchanged, 0)).toBe(6);
      for (const f of [a, b, c]) expect((await store.getRecord(f.fingerprint))?.version).toBe(3);
      const intents = await store.listIntents();
      expect(intents).toHaveLength(6);
      expect(intents.every((i) => i.rev === 1 && i.action === 'create')).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('refuses a write based on a stale version and writes nothing of it', async () => {
    await recordScan(store, scan([a]), opts());
    const record = (await store.getRecord(a.fingerprint))!;
    const next = { ...record, status: 'resolved' as const, version: record.version + 1 };
    expect(await store.commit({ record: next, expectedVersion: record.version, intents: [{ target: 'jira', action: 'resolve' }], now: clock.now() })).toBe(true);
    const stale = { ...record, lastScanId: 'stale', version: record.version + 1 };
    expect(await store.commit({ record: stale, expectedVersion: record.version, intents: [{ target: 'servicenow', action: 'update' }], now: clock.now() })).toBe(false);
    expect((await store.getRecord(a.fingerprint))?.status).toBe('resolved');
    expect((await store.listIntents()).find((i) => i.target === 'servicenow')?.action).toBe('create');
  });

  it('suppresses findings covered by a live exception, with its reason, and tickets nothing', async () => {
    const exceptions = new ExceptionSet(
      [{ id: 'public-ok', rule: 'EKS-00[12]', assets: { tags: { team: 'pay*' } }, owner: 'sec@example.com', reason: 'behind WAF until Q3', expires: '2026-03-31' }],
      new Date(clock.now()),
    );
    const summary = await recordScan(store, scan([a, b, c]), { ...opts(), exceptions });
    expect(summary.transitions).toMatchObject({ suppressed: 2, opened: 1 });
    expect(await store.getRecord(a.fingerprint)).toMatchObject({ status: 'suppressed', suppression: { exceptionId: 'public-ok', reason: 'behind WAF until Q3' } });
    expect((await store.listIntents()).every((i) => i.fingerprint === c.fingerprint)).toBe(true);
    expect(exceptions.report()).toMatchObject({ expired: [], unused: [], used: [{ id: 'public-ok', matches: 2 }] });
  });

  it('reopens a suppressed finding once its exception has expired', async () => {
    const rule = { id: 'tmp', rule: 'EKS-001', assets: {}, owner: 'o', reason: 'r', expires: '2026-01-01' };
    await recordScan(store, scan([a]), { ...opts(), exceptions: new ExceptionSet([rule], new Date(clock.now())) });
    expect((await store.getRecord(a.fingerprint))?.status).toBe('suppressed');
    clock.advance(2 * 86_400_000);
    const later = new ExceptionSet([rule], new Date(clock.now()));
    await recordScan(store, scan([a]), { ...opts(), exceptions: later });
    expect((await store.getRecord(a.fingerprint))?.status).toBe('reopened');
    expect((await store.listIntents()).map((i) => i.action)).toEqual(['reopen', 'reopen']);
    expect(later.report().expired).toEqual([{ id: 'tmp', owner: 'o', expires: '2026-01-01' }]);
  });

  it('reopens a suppressed finding on an unchanged asset once its exception has expired', async () => {
    const rule = { id: 'tmp', rule: 'EKS-001', assets: {}, owner: 'o', reason: 'r', expires: '2026-01-01' };
    // Same asset, same content, same bundle every time: only the exception's expiry differs.
    const unchanged = { contentHash: 'sha256:unchanged-content' };
    const first = await recordScan(store, scan([a, b], unchanged), { ...opts(), exceptions: new ExceptionSet([rule], new Date(clock.now())) });
    expect(first.transitions).toMatchObject({ suppressed: 1, opened: 1 });
    expect((await store.getRecord(a.fingerprint))?.status).toBe('suppressed');
    const intentsBefore = await store.listIntents();
    expect(intentsBefore.some((i) => i.fingerprint === a.fingerprint)).toBe(false);

    // Still live the next day: the redelivered-looking scan changes nothing.
    clock.advance(3_600_000);
    const stillLive = await recordScan(store, scan([a, b], unchanged), { ...opts(), exceptions: new ExceptionSet([rule], new Date(clock.now())) });
    expect(stillLive.duplicate).toBe(true);

    clock.advance(2 * 86_400_000);
    const expired = await recordScan(store, scan([a, b], unchanged), { ...opts(), exceptions: new ExceptionSet([rule], new Date(clock.now())) });
    expect(expired.duplicate).toBe(false);
    expect(expired.transitions).toMatchObject({ reopened: 1, unchanged: 1 });
    expect(await store.getRecord(a.fingerprint)).toMatchObject({ status: 'reopened', suppression: null });
    const reopenIntents = (await store.listIntents()).filter((i) => i.fingerprint === a.fingerprint);
    expect(reopenIntents.map((i) => `${i.target}:${i.action}`).sort()).toEqual(['jira:reopen', 'servicenow:reopen']);

    // And the scan after that, with nothing new, is a duplicate again.
    const again = await recordScan(store, scan([a, b], unchanged), { ...opts(), exceptions: new ExceptionSet([rule], new Date(clock.now())) });
    expect(again.duplicate).toBe(true);
  });

  it('writes intents only for rules in ticket mode', async () => {
    const modes = ModesConfig.parse({ default: 'audit', frameworks: { 'cis-eks-1.8': 'warn' }, rules: { 'EKS-003': 'ticket' } });
    const summary = await recordScan(store, scan([a, b, c]), { ...opts(), modes });
    expect(summary.transitions.opened).toBe(3);
    expect(summary.warnings).toBe(2);
    expect(new Set((await store.listIntents()).map((i) => i.fingerprint))).toEqual(new Set([c.fingerprint]));
  });

  it('rejects a finding that belongs to another asset, naming it', async () => {
    const stray = finding('EKS-001', 'x', {}, 'aws://999/other');
    await expect(recordScan(store, scan([stray]), opts())).rejects.toThrow(/belongs to aws:\/\/999\/other, not to the scanned asset/);
  });

  describe('the estate changes under the findings', () => {
    it('reopens findings when an asset rolls back to a configuration recorded before', async () => {
      const original = { contentHash: 'sha256:config-A' };
      await recordScan(store, scan([a, b], original), opts());
      const fixed = await recordScan(store, scan([a], { contentHash: 'sha256:config-B' }), opts());
      expect(fixed.transitions.resolved).toBe(1);
      expect(await store.getRecord(b.fingerprint)).toMatchObject({ status: 'resolved', resolution: { reason: 'not-detected' } });

      clock.advance(3_600_000);
      const rolledBack = await recordScan(store, scan([a, b], original), opts());
      expect(rolledBack.duplicate).toBe(false);
      expect(rolledBack.transitions).toMatchObject({ reopened: 1, unchanged: 1 });
      expect(await store.getRecord(b.fingerprint)).toMatchObject({ status: 'reopened', resolvedAt: null, resolution: null });
      const intents = (await store.listIntents()).filter((i) => i.fingerprint === b.fingerprint);
      expect(intents.map((i) => `${i.target}:${i.action}`).sort()).toEqual(['jira:reopen', 'servicenow:reopen']);

      // The same configuration delivered again right after is still a duplicate.
      expect((await recordScan(store, scan([a, b], original), opts())).duplicate).toBe(true);
    });

    const other = { ...asset, id: 'aws://123456789012/eu-west-1/eks/cluster/staging' };
    const x = finding('EKS-001', 'endpoint/public', { value: 'x' }, other.id);
    const scoped = (list: typeof a[], on: typeof asset, scope: string, contentHash: string) =>
      scan(list, { asset: on, assetId: on.id, contentHash, scope });
    const scope = 'aws/123456789012/eu-west-1';

    it('resolves the findings of an asset missing from a complete collection of its scope, as no longer present', async () => {
      await recordScan(store, scoped([a, b], asset, scope, 'sha256:prod-1'), opts());
      await recordScan(store, scoped([x], other, scope, 'sha256:staging-1'), opts());
      expect(await store.listScopeAssets(scope)).toEqual([asset.id, other.id].sort());

      // The next complete collection of the scope has only the staging cluster: prod was deleted.
      const removed = await resolveMissingAssets(store, { scope, present: new Set([other.id]), scanId: 'sweep-2' }, opts());
      expect(removed).toMatchObject({ assets: [asset.id], resolved: 2, intents: 4 });
      for (const f of [a, b]) {
        expect(await store.getRecord(f.fingerprint)).toMatchObject({ status: 'resolved', lastScanId: 'sweep-2', resolution: { reason: 'no-longer-present', scope } });
      }
      expect((await store.getRecord(x.fingerprint))?.status).toBe('open');
      const resolveIntents = (await store.listIntents()).filter((i) => i.fingerprint !== x.fingerprint);
      expect(resolveIntents.map((i) => i.action)).toEqual(['resolve', 'resolve', 'resolve', 'resolve']);
      expect(await store.listScopeAssets(scope)).toEqual([other.id]);
      // Resolving again changes nothing.
      expect(await resolveMissingAssets(store, { scope, present: new Set([other.id]), scanId: 'sweep-3' }, opts())).toMatchObject({ assets: [], resolved: 0 });
    });

    it('reopens the findings of a removed asset that comes back unchanged', async () => {
      await recordScan(store, scoped([a], asset, scope, 'sha256:prod-1'), opts());
      await resolveMissingAssets(store, { scope, present: new Set(), scanId: 'sweep-2' }, opts());
      expect((await store.getRecord(a.fingerprint))?.status).toBe('resolved');
      const back = await recordScan(store, scoped([a], asset, scope, 'sha256:prod-1'), opts());
      expect(back).toMatchObject({ duplicate: false, transitions: { reopened: 1 } });
      expect(await store.getRecord(a.fingerprint)).toMatchObject({ status: 'reopened', resolution: null });
    });

    it('leaves an asset alone once a collection of another scope has enumerated it', async () => {
      await recordScan(store, scoped([a], asset, scope, 'sha256:prod-1'), opts());
      // Scanned again from a local export directory, unchanged: it now lives in that scope.
      await recordScan(store, scoped([a], asset, 'local:/exports', 'sha256:prod-1'), opts());
      expect(await resolveMissingAssets(store, { scope, present: new Set(), scanId: 'sweep-2' }, opts())).toMatchObject({ assets: [], resolved: 0 });
      expect((await store.getRecord(a.fingerprint))?.status).toBe('open');
      // A scan that does not say where the asset lives (a file given on its own) keeps its scope.
      await recordScan(store, scan([a], { contentHash: 'sha256:prod-2' }), opts());
      expect(await store.listScopeAssets('local:/exports')).toEqual([asset.id]);
    });
  });

  describe('outbox', () => {
    beforeEach(async () => {
      await recordScan(store, scan([a, b]), { targets: ['jira'], clock });
    });

    it('leases intents so a second drainer cannot claim them until the lease ends', async () => {
      const first = await store.claimIntents({ targets: ['jira'], owner: 'd1', now: clock.now(), leaseMs: 30_000, limit: 10 });
      expect(first).toHaveLength(2);
      expect(await store.claimIntents({ targets: ['jira'], owner: 'd2', now: clock.now(), leaseMs: 30_000, limit: 10 })).toEqual([]);
      // The holder is working on them: nobody else waits for its lease.
      expect(await store.nextDue(['jira'], clock.now())).toBeNull();
      clock.advance(30_001);
      expect(await store.claimIntents({ targets: ['jira'], owner: 'd2', now: clock.now(), leaseMs: 30_000, limit: 10 })).toHaveLength(2);
    });

    it('claims concurrently without handing one intent to two drainers', async () => {
      const other = await backend.openAnother(store);
      try {
        const claims = await Promise.all(
          [store, other, store, other].map((s, i) => s.claimIntents({ targets: ['jira'], owner: `d${i}`, now: clock.now(), leaseMs: 30_000, limit: 10 })),
        );
        const ids = claims.flat().map((i) => i.id);
        expect(ids.sort()).toEqual((await store.listIntents()).map((i) => i.id).sort());
      } finally {
        await other.close();
      }
    });

    it('completing removes the intent and stores the ticket reference on the record', async () => {
      const [intent] = await store.claimIntents({ targets: ['jira'], owner: 'd1', now: clock.now(), leaseMs: 30_000, limit: 1 });
      await store.completeIntent(intent!, 'd1', 'SEC-1');
      expect((await store.getRecord(intent!.fingerprint))?.tickets).toEqual({ jira: 'SEC-1' });
      expect((await store.listIntents()).map((i) => i.id)).not.toContain(intent!.id);
    });

    it('a state change during delivery survives the completion of the older intent', async () => {
      const claimed = await store.claimIntents({ targets: ['jira'], owner: 'd1', now: clock.now(), leaseMs: 30_000, limit: 10 });
      const mine = claimed.find((i) => i.fingerprint === b.fingerprint)!;
      await recordScan(store, scan([a]), { targets: ['jira'], clock }); // b is fixed while its create is in flight
      await store.completeIntent(mine, 'd1', 'SEC-2');
      const left = (await store.listIntents()).find((i) => i.id === mine.id);
      expect(left).toMatchObject({ action: 'resolve', rev: 2, state: 'pending', leaseOwner: null });
      expect((await store.getRecord(b.fingerprint))?.tickets).toEqual({ jira: 'SEC-2' });
    });

    it('counts failures, backs off, parks after the last one and requeues on request', async () => {
      let [intent] = await store.claimIntents({ targets: ['jira'], owner: 'd1', now: clock.now(), leaseMs: 30_000, limit: 1 });
      await store.failIntent(intent!, { owner: 'd1', now: clock.now(), error: 'HTTP 503', retryAt: clock.now() + 5_000, countAttempt: true, park: false });
      const [afterFail] = (await store.listIntents()).filter((i) => i.id === intent!.id);
      expect(afterFail).toMatchObject({ attempts: 1, lastError: 'HTTP 503', state: 'pending', nextAttemptAt: clock.now() + 5_000, leaseOwner: null });
      clock.advance(5_000);
      [intent] = (await store.claimIntents({ targets: ['jira'], owner: 'd1', now: clock.now(), leaseMs: 30_000, limit: 2 })).filter((i) => i.id === intent!.id);
      await store.failIntent(intent!, { owner: 'd1', now: clock.now(), error: 'HTTP 503 again', retryAt: 0, countAttempt: true, park: true });
      expect(await store.countIntents(['jira'])).toEqual({ pending: 1, parked: 1 });
      expect((await store.listIntents({ state: 'parked' }))[0]).toMatchObject({ attempts: 2, lastError: 'HTTP 503 again' });
      expect(await store.requeueParked(['jira'], clock.now())).toBe(1);
      expect(await store.countIntents(['jira'])).toEqual({ pending: 2, parked: 0 });
    });
  });
});
