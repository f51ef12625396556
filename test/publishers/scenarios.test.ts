// End-to-end publishing: recordScan → outbox → real HTTP to the Jira, ServiceNow and webhook
// stand-ins. Runs on both state backends. Time is a manual clock, so backoff costs no wall time.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordScan, resolveMissingAssets } from '../../core/lifecycle.ts';
import type { StateStore } from '../../core/state/store.ts';
import { fingerprintLabel } from '../../publishers/jira.ts';
import { type Backend, dynamoBackend, finding, scan, sqliteBackend } from '../state/support.ts';
import { type Services, startServices } from './support/harness.ts';

const findings = (n: number, prefix = 'EKS-001') => Array.from({ length: n }, (_, i) => finding(prefix, `nodegroups/ng-${i}/public`));

describe.each([sqliteBackend(), dynamoBackend()])('publishing scenarios on $name', (backend: Backend) => {
  let store: StateStore;
  let svc: Services;
  beforeEach(async () => {
    store = await backend.open();
    svc = await startServices();
  });
  afterEach(async () => {
    await store.close();
    await svc.close();
  });
  afterAll(() => backend.teardown());

  const record = (list: ReturnType<typeof findings>) => recordScan(store, scan(list), { targets: svc.targets, clock: svc.clock });
  const oneTicketEach = (list: ReturnType<typeof findings>) => {
    for (const f of list) {
      expect(svc.jira.withLabel(fingerprintLabel(f.fingerprint))).toHaveLength(1);
      expect(svc.servicenow.byCorrelation(f.fingerprint)).toHaveLength(1);
    }
  };

  it('first scan opens one ticket per finding everywhere; an unchanged re-scan opens none', async () => {
    const list = findings(4);
    await record(list);
    const first = await svc.drain(store);
    expect(first).toMatchObject({ created: 12, parked: 0, outbox: { pending: 0, parked: 0 } });
    expect(first.byPublisher.jira?.created).toBe(4);
    oneTicketEach(list);
    const issue = svc.jira.withLabel(fingerprintLabel(list[0]!.fingerprint))[0]!;
    expect(issue.fields.labels).toContain('posture');
    expect(issue.fields.priority).toEqual({ name: 'High' });
    expect((await store.getRecord(list[0]!.fingerprint))?.tickets).toMatchObject({ jira: issue.key, webhook: list[0]!.fingerprint });
    expect(svc.webhook.events.filter((e) => e.event === 'finding.created')).toHaveLength(4);

    await record(list);
    const again = await svc.drain(store);
    expect(again).toMatchObject({ created: 0, updated: 0, resolved: 0, reopened: 0 });
    expect(svc.jira.issues()).toHaveLength(4);
    expect(svc.servicenow.rows()).toHaveLength(4);
  });

  it('resolves a fixed finding in Jira and ServiceNow, and reopens it on regression', async () => {
    const list = findings(3);
    await record(list);
    await svc.drain(store);
    const fixed = list[1]!;
    await record([list[0]!, list[2]!]);
    expect(await svc.drain(store)).toMatchObject({ resolved: 3, created: 0 });
    const issue = svc.jira.withLabel(fingerprintLabel(fixed.fingerprint))[0]!;
    expect(svc.jira.statusOf(issue)).toBe('Done');
    expect(issue.resolution).toBe('Done');
    const row = svc.servicenow.byCorrelation(fixed.fingerprint)[0]!;
    expect(row).toMatchObject({ state: '6', close_code: 'Solution provided', active: 'false' });
    expect(svc.webhook.events.at(-1)?.event).toBe('finding.resolved');

    await record(list);
    expect(await svc.drain(store)).toMatchObject({ reopened: 3, created: 0 });
    expect(svc.jira.statusOf(issue)).toBe('To Do');
    expect(issue.history).toEqual(['created', 'Done', 'Reopen']);
    expect(svc.servicenow.byCorrelation(fixed.fingerprint)[0]).toMatchObject({ state: '2', active: 'true' });
    oneTicketEach(list);
  });

  it('a rollback to a configuration seen before reopens the Jira issue (Reopen) and the ServiceNow incident', async () => {
    const list = findings(2);
    const original = { contentHash: 'sha256:config-as-deployed' };
    await recordScan(store, scan(list, original), { targets: svc.targets, clock: svc.clock });
    await svc.drain(store);
    await recordScan(store, scan([list[0]!], { contentHash: 'sha256:config-fixed' }), { targets: svc.targets, clock: svc.clock });
    expect(await svc.drain(store)).toMatchObject({ resolved: 3 });
    // The fix is rolled back: the asset is exactly as it was at the first scan.
    await recordScan(store, scan(list, original), { targets: svc.targets, clock: svc.clock });
    expect(await svc.drain(store)).toMatchObject({ reopened: 3, created: 0 });
    const issue = svc.jira.withLabel(fingerprintLabel(list[1]!.fingerprint))[0]!;
    expect(issue.history).toEqual(['created', 'Done', 'Reopen']);
    expect(svc.jira.statusOf(issue)).toBe('To Do');
    const row = svc.servicenow.byCorrelation(list[1]!.fingerprint)[0]!;
    expect(row.history).toEqual(['created', 'Resolved', 'In Progress']);
    expect(svc.webhook.events.map((e) => e.event).filter((e) => e !== 'finding.created')).toEqual(['finding.resolved', 'finding.reopened']);
    oneTicketEach(list);
  });

  it('an asset gone from a complete collection of its scope closes its tickets as no longer present', async () => {
    const scope = 'aws/123456789012/eu-west-1';
    const list = findings(2);
    await recordScan(store, scan(list, { scope }), { targets: svc.targets, clock: svc.clock });
    await svc.drain(store);
    // The next sweep of the scope completes without errors and no longer finds the cluster.
    const removed = await resolveMissingAssets(store, { scope, present: new Set(), scanId: 'sweep-2' }, { targets: svc.targets, clock: svc.clock });
    expect(removed.assets).toEqual([list[0]!.assetId]);
    expect(await svc.drain(store)).toMatchObject({ resolved: 6, outbox: { pending: 0, parked: 0 } });
    for (const f of list) {
      const issue = svc.jira.withLabel(fingerprintLabel(f.fingerprint))[0]!;
      expect(issue.history).toEqual(['created', 'Done']);
      expect(JSON.stringify(issue.comments.at(-1))).toMatch(/is no longer present: a complete collection of aws\/123456789012\/eu-west-1 did not find it/);
      const row = svc.servicenow.byCorrelation(f.fingerprint)[0]!;
      expect(row.history).toEqual(['created', 'Resolved']);
      expect(row).toMatchObject({ state: '6', close_code: 'Solution provided' });
      expect(row.close_notes).toMatch(/is no longer present/);
    }
    const resolvedEvent = svc.webhook.events.find((e) => e.event === 'finding.resolved');
    expect((resolvedEvent?.body.state as { resolution?: unknown } | undefined)?.resolution).toEqual({ reason: 'no-longer-present', scope });
  });

  it('comments on changed evidence instead of opening another ticket', async () => {
    const [f] = findings(1);
    await record([f!]);
    await svc.drain(store);
    await record([finding('EKS-001', f!.path, { value: 'now 0.0.0.0/0' })]);
    expect(await svc.drain(store)).toMatchObject({ updated: 3, created: 0 });
    expect(svc.jira.issues()[0]!.comments).toHaveLength(1);
    expect(svc.servicenow.rows()[0]!.journal[0]).toMatch(/evidence changed/);
  });

  it('with 30% of calls failing (429/5xx) ends with exactly one ticket per finding, nothing lost, waits honoured', async () => {
    for (const faults of [svc.jira.faults, svc.servicenow.faults, svc.webhook.faults]) faults.rate = 0.3;
    // Fewer on DynamoDB-on-moto only to keep the suite quick; the paths exercised are the same.
    const n = backend.name === 'sqlite' ? 12 : 6;
    const list = findings(n);
    await record(list);
    // One call at a time, so every request after a 429 was sent knowing the wait.
    const summary = await svc.drain(store, { concurrency: 1 });
    expect(summary.retried).toBeGreaterThan(0);
    expect(summary).toMatchObject({ created: 3 * n, parked: 0, outbox: { pending: 0, parked: 0 } });
    oneTicketEach(list);
    expect(svc.webhook.events).toHaveLength(n);
    expect(svc.jira.faults.injected + svc.servicenow.faults.injected).toBeGreaterThan(3);
    // Nobody came back before the announced Retry-After / X-RateLimit-Reset.
    expect(svc.jira.faults.earlyRetries + svc.servicenow.faults.earlyRetries).toBe(0);

    await record(list.slice(0, n / 2));
    expect(await svc.drain(store, { concurrency: 1 })).toMatchObject({ resolved: (3 * n) / 2, parked: 0, outbox: { pending: 0, parked: 0 } });
    expect(svc.jira.issues().filter((i) => svc.jira.statusOf(i) === 'Done')).toHaveLength(n / 2);
  });

  it('a service down for the whole run parks every intent for it; a later run delivers them', async () => {
    svc.jira.faults.down = true;
    const list = findings(5);
    await record(list);
    const down = await svc.drain(store, { maxAttempts: 4 });
    expect(down).toMatchObject({ parked: 5, created: 10, outbox: { pending: 0, parked: 5 } });
    expect(down.byPublisher.jira).toMatchObject({ parked: 5, created: 0 });
    expect((await store.listIntents({ state: 'parked' })).every((i) => i.target === 'jira' && i.attempts === 4 && /HTTP 503/.test(i.lastError ?? ''))).toBe(true);
    expect(svc.logs.text()).toMatch(/outbox has parked intents/);

    svc.jira.faults.down = false;
    expect(await svc.drain(store)).toMatchObject({ created: 0, outbox: { parked: 5 } }); // parked stays parked until asked
    const later = await svc.drain(store, { retryParked: true });
    expect(later).toMatchObject({ created: 5, outbox: { pending: 0, parked: 0 } });
    oneTicketEach(list);
  });

  it('two drainers working at once never create a duplicate', async () => {
    svc.jira.faults.rate = 0.2;
    const list = findings(10);
    await record(list);
    const other = await backend.openAnother(store);
    try {
      const [a, b] = await Promise.all([svc.drain(store, { owner: 'drainer-a', batchSize: 3 }), svc.drain(other, { owner: 'drainer-b', batchSize: 3 })]);
      expect(a.created + b.created).toBe(30);
      expect(a.created).toBeGreaterThan(0);
      expect(b.created).toBeGreaterThan(0);
      oneTicketEach(list);
      expect(svc.webhook.stats().duplicates).toBe(0);
    } finally {
      await other.close();
    }
  });
});
