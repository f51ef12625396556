// After an outage: how soon waiting deliveries go out, and what an operator can do about it. Both state
// backends, real HTTP to the stand-ins, a manual clock (virtual time is what is measured here).
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordScan } from '../../core/lifecycle.ts';
import type { StateStore } from '../../core/state/store.ts';
import type { Publisher } from '../../publishers/publisher.ts';
import { fingerprintLabel } from '../../publishers/jira.ts';
import { type Backend, dynamoBackend, finding, scan, sqliteBackend } from '../state/support.ts';
import { type Services, startServices } from './support/harness.ts';

const findings = (n: number, from = 0) => Array.from({ length: n }, (_, i) => finding('EKS-001', `nodegroups/ng-${from + i}/public`));
const minutes = (n: number) => n * 60_000;

describe.each([sqliteBackend(), dynamoBackend()])('recovery after an outage on $name', (backend: Backend) => {
  let store: StateStore;
  let svc: Services;
  let jira: Publisher;
  let webhook: Publisher;
  beforeEach(async () => {
    store = await backend.open();
    svc = await startServices({ jira: { searchLagMs: 0 } });
    jira = svc.publishers.find((p) => p.name === 'jira')!;
    webhook = svc.publishers.find((p) => p.name === 'webhook')!;
  });
  afterEach(async () => {
    await store.close();
    await svc.close();
  });
  afterAll(() => backend.teardown());

  const record = (list: ReturnType<typeof findings>, targets = ['jira']) => recordScan(store, scan(list), { targets, clock: svc.clock });
  // The production backoff (2 s doubling to 15 min), not the harness's quick one.
  const production = { backoff: { baseMs: 2_000, maxMs: 15 * 60_000 }, maxAttempts: 20 };

  it('delivers everything within one probe interval once the service answers again, however long its backoff had grown', async () => {
    const list = findings(4);
    await record(list);
    const outageEnds = svc.clock.now() + minutes(10);
    svc.jira.faults.downUntil = outageEnds;
    const summary = await svc.drain(store, { ...production, maxWaitMs: minutes(60), probeMs: 30_000 }, [jira]);
    expect(summary).toMatchObject({ created: 4, parked: 0, outbox: { pending: 0, parked: 0 } });
    for (const f of list) expect(svc.jira.withLabel(fingerprintLabel(f.fingerprint))).toHaveLength(1);
    // After 10 minutes of failures each intent's own backoff is 4 to 8.5 minutes long; recovery waits for
    // one probe (30 s here) instead.
    const recovery = svc.clock.now() - outageEnds;
    expect(recovery).toBeGreaterThanOrEqual(0);
    expect(recovery).toBeLessThanOrEqual(30_000);
  });

  it('keeps a run going while deliveries succeed, past the wait budget', async () => {
    // A strict rate limit: one request every 2 s, each refusal naming the wait. 8 deliveries take ~16 s.
    svc.webhook.faults.minIntervalMs = 2_000;
    const list = findings(8);
    await record(list, ['webhook']);
    const summary = await svc.drain(store, { maxWaitMs: 5_000, concurrency: 1 }, [webhook]);
    expect(summary).toMatchObject({ created: 8, parked: 0, outbox: { pending: 0, parked: 0 } });
    expect(svc.webhook.events).toHaveLength(8);
    expect(svc.webhook.faults.earlyRetries).toBe(0);
  });

  it('starts each run by probing a service its deliveries are backing off from, and sends them all when it answers', async () => {
    const list = findings(4);
    await record(list);
    svc.jira.faults.down = true;
    // A run during the outage: every intent failed a few times and waits out its backoff.
    await svc.drain(store, { ...production, maxWaitMs: 30_000 }, [jira]);
    const waiting = await store.listIntents({ state: 'pending' });
    expect(waiting).toHaveLength(4);
    expect(waiting.every((i) => i.attempts >= 2 && i.nextAttemptAt > svc.clock.now())).toBe(true);

    svc.jira.faults.down = false;
    const before = svc.clock.now();
    // The next run is allowed no waiting at all: only a probe can find out the service is back.
    const next = await svc.drain(store, { ...production, maxWaitMs: 0 }, [jira]);
    expect(next).toMatchObject({ created: 4, outbox: { pending: 0, parked: 0 } });
    expect(next.woken).toBe(3);
    expect(svc.clock.now()).toBe(before);
  });

  it('`now` retries pending and parked deliveries at once', async () => {
    svc.jira.faults.down = true;
    const first = findings(3);
    await record(first);
    expect(await svc.drain(store, { maxAttempts: 2, maxWaitMs: minutes(10) }, [jira])).toMatchObject({ outbox: { pending: 0, parked: 3 } });
    const second = findings(3, 3);
    await record([...first, ...second]);
    expect(await svc.drain(store, { ...production, maxWaitMs: 0 }, [jira])).toMatchObject({ outbox: { pending: 3, parked: 3 } });

    svc.jira.faults.down = false;
    const before = svc.clock.now();
    const redriven = await svc.drain(store, { ...production, now: true, maxWaitMs: 0, probeMs: minutes(60) }, [jira]);
    expect(redriven).toMatchObject({ created: 6, requeued: 3, outbox: { pending: 0, parked: 0 } });
    expect(svc.clock.now()).toBe(before);
    for (const f of [...first, ...second]) expect(svc.jira.withLabel(fingerprintLabel(f.fingerprint))).toHaveLength(1);
  });

  it('a scheduled drain re-drives parked intents on its own, an hour after parking, at most twice', async () => {
    svc.jira.faults.down = true;
    await record(findings(2));
    const autoRedrive = { afterMs: minutes(60), max: 2 };
    const runs: number[] = [];
    for (let run = 0; run < 4; run++) {
      const summary = await svc.drain(store, { maxAttempts: 2, maxWaitMs: minutes(5), autoRedrive }, [jira]);
      runs.push(summary.requeued);
      svc.clock.advance(minutes(61));
    }
    // Parked in run 0; re-driven in runs 1 and 2 (and parked again); left parked after that.
    expect(runs).toEqual([0, 2, 2, 0]);
    const parked = await store.listIntents({ state: 'parked' });
    expect(parked.map((i) => i.redrives)).toEqual([2, 2]);
    // An operator's re-drive is not capped.
    svc.jira.faults.down = false;
    expect(await svc.drain(store, { now: true }, [jira])).toMatchObject({ requeued: 2, created: 2, outbox: { pending: 0, parked: 0 } });
  });
});
