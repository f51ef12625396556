// Jira with one issue per finding (the default) when create answers are lost while search lags:
// the retry must wait for the issue to become searchable, not open a second one. Against the Jira
// stand-in (search index 20 s behind, create answers dropped after the issue is made) on both
// state backends, with a manual clock.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordScan } from '../../core/lifecycle.ts';
import type { StateStore } from '../../core/state/store.ts';
import { JiraPublisher, fingerprintLabel } from '../../publishers/jira.ts';
import type { Publisher } from '../../publishers/publisher.ts';
import { type Backend, dynamoBackend, finding, scan, sqliteBackend } from '../state/support.ts';
import { type Services, startServices } from './support/harness.ts';

const findings = (n: number) => Array.from({ length: n }, (_, i) => finding('EKS-001', `nodegroups/ng-${i}/public`));
const deferredLog = /may have been created and is not searchable yet/;

describe.each([sqliteBackend(), dynamoBackend()])('Jira per finding, create answers lost during search lag, on $name', (backend: Backend) => {
  let store: StateStore;
  let svc: Services | undefined;
  beforeEach(async () => {
    store = await backend.open();
  });
  afterEach(async () => {
    await store.close();
    await svc?.close();
    svc = undefined;
  });
  afterAll(() => backend.teardown());

  const jiraOf = (s: Services): Publisher => s.publishers.find((p) => p.name === 'jira')!;

  it('every create answer lost while search lags: still exactly one issue per finding, each recorded', async () => {
    const n = 3;
    // Every first create is made and its answer lost; search shows a new issue only after 20 s,
    // far beyond the first retry's backoff. The publisher is told search may lag up to 30 s.
    svc = await startServices({ jira: { loseCreateResponses: n, searchLagMs: 20_000 }, jiraConfig: { searchLagMs: 30_000 } });
    const list = findings(n);
    await recordScan(store, scan(list), { targets: ['jira'], clock: svc.clock });
    const start = svc.clock.now();

    const summary = await svc.drain(store, {}, [jiraOf(svc)]);
    expect(summary).toMatchObject({ created: n, parked: 0, outbox: { pending: 0, parked: 0 } });
    expect(svc.jira.issues()).toHaveLength(n);
    for (const f of list) {
      const issues = svc.jira.withLabel(fingerprintLabel(f.fingerprint));
      expect(issues).toHaveLength(1);
      expect((await store.getRecord(f.fingerprint))?.tickets.jira).toBe(issues[0]!.key);
    }
    // Each retry waited out the configured lag instead of trusting an empty search.
    expect(svc.logs.text()).toMatch(deferredLog);
    expect(svc.clock.now() - start).toBeGreaterThanOrEqual(30_000);
    expect(svc.jira.requests.filter((r) => r.method === 'POST' && r.path === '/rest/api/3/issue')).toHaveLength(n);

    // Fixed later: each finding's one issue is closed, none is created.
    await recordScan(store, scan([]), { targets: ['jira'], clock: svc.clock });
    expect(await svc.drain(store, {}, [jiraOf(svc)])).toMatchObject({ resolved: n, created: 0, parked: 0 });
    expect(svc.jira.issues().map((i) => svc!.jira.statusOf(i))).toEqual(Array(n).fill('Done'));
  });

  it('a create Jira refused (4xx) made no issue: once the config is fixed, the retry creates at once', async () => {
    // A field the Jira screen does not have: refused with 400, so the intent is parked.
    svc = await startServices({ jira: { searchLagMs: 20_000 }, jiraConfig: { searchLagMs: 30_000, customFields: { customfield_99999: 'x' } } });
    const [f] = findings(1);
    await recordScan(store, scan([f!]), { targets: ['jira'], clock: svc.clock });
    expect(await svc.drain(store, {}, [jiraOf(svc)])).toMatchObject({ parked: 1, created: 0 });
    expect(svc.jira.issues()).toHaveLength(0);

    const fixed = new JiraPublisher({ ...svc.publish.jira!, customFields: {} }, svc.jira.apiToken, { now: () => svc!.clock.now() });
    const start = svc.clock.now();
    expect(await svc.drain(store, { retryParked: true }, [fixed])).toMatchObject({ created: 1, retried: 0, parked: 0, outbox: { pending: 0, parked: 0 } });
    // No wait for search to catch up on an issue that was never made.
    expect(svc.logs.text()).not.toMatch(deferredLog);
    expect(svc.clock.now()).toBe(start);
    expect(svc.jira.withLabel(fingerprintLabel(f!.fingerprint))).toHaveLength(1);
  });
});
