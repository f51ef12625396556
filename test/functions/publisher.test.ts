// The publisher function against DynamoDB on moto and the Jira stand-in: the schedule's drain parks what
// an outage refuses and logs the line the parked-intents alarm counts; an operator's re-drive invocation
// delivers pending and parked intents at once; the schedule re-drives parked intents on its own, capped;
// every invocation emits its CloudWatch metrics as EMF (Powertools).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordScan } from '../../core/lifecycle.ts';
import { DynamoStateStore } from '../../core/state/dynamodb.ts';
import { createPublisherHandler, type PublisherDeps } from '../../functions/publisher.ts';
import { createMetrics, metricsNamespace } from '../../functions/runtime/metrics.ts';
import { emfDuring } from './support/emf.ts';
import { parkedLogMessage } from '../../publishers/drain.ts';
import { fingerprintLabel } from '../../publishers/jira.ts';
import { startServices, type Services } from '../publishers/support/harness.ts';
import { finding, scan } from '../state/support.ts';
import { startMoto, type MotoServer } from '../standins/moto.ts';
import { captureLog } from './support/logs.ts';

let moto: MotoServer;
let store: DynamoStateStore;
let svc: Services;
let tableNo = 0;
const logs = captureLog();

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => moto?.stop());
beforeEach(async () => {
  logs.clear();
  store = new DynamoStateStore({ tableName: `publisher-state-${++tableNo}`, clientConfig: moto.clientConfig });
  await store.ensureTable();
  svc = await startServices({ jira: { searchLagMs: 0 } });
  return async () => {
    await svc.close();
    await store.close();
  };
});

function handler(extra: Partial<PublisherDeps> = {}) {
  const jira = svc.publishers.find((p) => p.name === 'jira')!;
  return createPublisherHandler({
    store,
    publishers: [jira],
    log: logs.log,
    metrics: createMetrics('publisher'),
    drain: { clock: svc.clock, backoff: { baseMs: 1_000, maxMs: 60_000 }, maxAttempts: 3, probeMs: 15_000 },
    ...extra,
  });
}

const findings = (n: number) => Array.from({ length: n }, (_, i) => finding('EKS-001', `nodegroups/ng-${i}/public`));

describe('publisher function on DynamoDB', () => {
  it('parks what an outage refuses, logs the alarm line, and an operator\'s re-drive delivers it at once', async () => {
    const list = findings(3);
    await recordScan(store, scan(list), { targets: ['jira'], clock: svc.clock });
    svc.jira.faults.down = true;
    const { result: down, emf } = await emfDuring(() => handler()({ kind: 'drain' }));
    expect(down).toMatchObject({ parked: 3, outbox: { pending: 0, parked: 3 } });
    // The line the CloudWatch metric filter turns into the parked-intents alarm.
    expect(logs.lines().find((l) => l.msg === parkedLogMessage)).toMatchObject({ level: 50, parked: 3, pending: 0 });
    const metrics = emf.at(-1)!;
    expect(metrics).toMatchObject({ service: 'publisher', Deliveries: 0, DeliveriesParked: 3, OutboxParked: 3, OutboxPending: 0 });
    const directive = (metrics._aws as { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]!;
    expect(directive.Namespace).toBe(metricsNamespace);
    expect(directive.Metrics.map((m) => m.Name)).toEqual(expect.arrayContaining(['Deliveries', 'DeliveriesParked', 'OutboxParked', 'OutboxPending']));

    svc.jira.faults.down = false;
    const before = svc.clock.now();
    const { result: redriven, emf: after } = await emfDuring(() => handler()({ kind: 'redrive' }));
    expect(redriven).toMatchObject({ requeued: 3, created: 3, outbox: { pending: 0, parked: 0 } });
    expect(svc.clock.now()).toBe(before);
    for (const f of list) expect(svc.jira.withLabel(fingerprintLabel(f.fingerprint))).toHaveLength(1);
    expect(after.at(-1)).toMatchObject({ Deliveries: 3, IntentsRequeued: 3, OutboxParked: 0 });
  });

  it('the schedule re-drives parked intents on its own an hour after parking, at most as often as its cap', async () => {
    await recordScan(store, scan(findings(2)), { targets: ['jira'], clock: svc.clock });
    svc.jira.faults.down = true;
    const scheduled = handler({ autoRedrive: { afterMs: 60 * 60_000, max: 1 } });
    const requeued: number[] = [];
    await emfDuring(async () => {
      for (let run = 0; run < 4; run++) {
        requeued.push((await scheduled({ kind: 'drain' })).requeued);
        svc.clock.advance(61 * 60_000);
      }
    });
    expect(requeued).toEqual([0, 2, 0, 0]);
    expect((await store.listIntents({ state: 'parked' })).map((i) => i.redrives)).toEqual([1, 1]);
  });

  it('refuses an event that is neither the schedule\'s nor a re-drive, naming both', async () => {
    await expect(handler()({ kind: 'flush' })).rejects.toThrow(/publisher event must be \{"kind":"drain"\} \(the schedule\) or \{"kind":"redrive"\}/);
  });
});
