// The scan worker against real SQS and DynamoDB (moto), the real policy engine and the real finding
// state store: redelivery does no duplicate work and changes nothing twice, failures are reported per
// record, poison messages are parked with their reason, concurrent duplicates stay consistent.
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterAsset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { policyDigestOf, type Job, type Trigger } from '../../core/jobs.ts';
import { DynamoStateStore } from '../../core/state/dynamodb.ts';
import { DynamoLedger } from '../../functions/runtime/ledger.ts';
import { providerCollectors } from '../../functions/runtime/provider-collectors.ts';
import { SqsJobQueue } from '../../functions/runtime/queue.ts';
import { StateRecorder } from '../../functions/runtime/recorder.ts';
import { createMetrics, metricsNamespace } from '../../functions/runtime/metrics.ts';
import { createWorkerHandler, type WorkerDeps } from '../../functions/worker.ts';
import { Engine } from '../../policies/engine.ts';
import { startMoto, type MotoServer } from '../standins/moto.ts';
import { assetJob, EstateStandIn } from './support/estate.ts';
import { emfDirective, emfDuring } from './support/emf.ts';
import { captureLog } from './support/logs.ts';
import { createQueues, drain, makeVisibleAgain, toSqsEvent, type Queues } from './support/sqs.ts';

const gkeId = 'gcp://shop-prod-4821/europe-west1/gke/recs';

let moto: MotoServer;
let queues: Queues;
let store: DynamoStateStore;
let engine: Engine;
let estate: EstateStandIn;
let deps: WorkerDeps;
let tableNo = 0;
const logs = captureLog();

async function freshTables(): Promise<{ ledger: DynamoLedger; store: DynamoStateStore }> {
  const db = new DynamoDBClient(moto.clientConfig);
  tableNo += 1;
  const ledgerTable = `ledger-${tableNo}`;
  await db.send(
    new CreateTableCommand({ TableName: ledgerTable, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }),
  );
  await db.send(new UpdateTimeToLiveCommand({ TableName: ledgerTable, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
  const state = new DynamoStateStore({ tableName: `state-${tableNo}`, client: db });
  await state.ensureTable();
  return { ledger: new DynamoLedger(db, ledgerTable, { leaseSeconds: 600, retainSeconds: 86_400 }), store: state };
}

beforeAll(async () => {
  moto = await startMoto();
  engine = await Engine.load({ config: parseConfig({}), now: new Date('2026-01-01T00:00:00Z') });
});
afterAll(async () => moto?.stop());

beforeEach(async () => {
  logs.clear();
  // Fresh queues and tables per test (SQS allows one purge a minute).
  queues = await createQueues(moto, `worker-scan-${tableNo + 1}`);
  estate = await EstateStandIn.fromSamples(['samples/gcp', 'samples/aws/ecs-task-definition-web.json']);
  const tables = await freshTables();
  store = tables.store;
  deps = {
    queue: new SqsJobQueue(queues.sqs, queues.queueUrl, queues.dlqUrl),
    ledger: tables.ledger,
    engine,
    policyDigest: policyDigestOf(engine.bundleDigest, {}),
    collectors: estate,
    recorder: new StateRecorder(store, () => ({ targets: ['jira'] })),
    concurrency: 3,
    log: logs.log,
  };
});

const trigger = (eventId: string): Trigger => ({ source: 'schedule', eventId, at: '2026-01-01T00:00:00Z' });

async function enqueue(...jobs: (Job | string)[]): Promise<void> {
  for (const job of jobs) await queues.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: typeof job === 'string' ? job : JSON.stringify(job) }));
}

function gkeJob(eventId = 'sweep-1'): Job {
  const asset = estate.assets.get(gkeId);
  if (!asset) throw new Error(`sample GKE cluster ${gkeId} missing`);
  return assetJob(asset, trigger(eventId));
}

async function recordsOf(assetId: string) {
  return (await store.listByAsset(assetId)).sort((a, b) => a.fingerprint.localeCompare(b.fingerprint));
}

describe('worker', () => {
  it('records the findings of a collected asset, with one outbox intent per new finding', async () => {
    const expected = engine.evaluate(estate.assets.get(gkeId) as ClusterAsset);
    // The sample cluster is deliberately weak: many rules fire on it.
    expect(expected.length).toBeGreaterThan(5);
    await enqueue(gkeJob());
    const out = await createWorkerHandler(deps)(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn));
    expect(out.batchItemFailures).toEqual([]);
    const records = await recordsOf(gkeId);
    expect(records.map((r) => r.fingerprint).sort()).toEqual(expected.map((f) => f.fingerprint).sort());
    expect(new Set(records.map((r) => r.status))).toEqual(new Set(['open']));
    expect((await store.countIntents(['jira'])).pending).toBe(new Set(expected.map((f) => f.fingerprint)).size);
  });

  it('does the work once when the same SQS message is delivered three times', async () => {
    await enqueue(gkeJob());
    const handle = createWorkerHandler(deps);
    for (let delivery = 1; delivery <= 3; delivery++) {
      const messages = await drain(queues.sqs, queues.queueUrl);
      expect(messages).toHaveLength(1);
      expect(Number(messages[0]?.Attributes?.ApproximateReceiveCount)).toBe(delivery);
      expect((await handle(toSqsEvent(messages, queues.queueArn))).batchItemFailures).toEqual([]);
      await makeVisibleAgain(queues.sqs, queues.queueUrl, messages);
    }
    expect(estate.collections).toBe(1);
    const records = await recordsOf(gkeId);
    // One transition each: created at version 1 and never written again.
    expect(records.every((r) => r.version === 1 && r.status === 'open')).toBe(true);
    expect((await store.countIntents(['jira'])).pending).toBe(records.length);
    expect(logs.lines().filter((l) => l.msg === 'job already processed under this policy; redelivery skipped')).toHaveLength(2);
  });

  it('changes no state for an unchanged asset seen by the next sweep, and resolves what a change fixed', async () => {
    const handle = createWorkerHandler(deps);
    await enqueue(gkeJob('sweep-1'));
    await handle(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn));
    const before = await recordsOf(gkeId);

    await enqueue(gkeJob('sweep-2')); // a new job, same content: collected again, recorded once
    await handle(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn));
    expect(estate.collections).toBe(2);
    expect(await recordsOf(gkeId)).toEqual(before);

    // Someone turns legacy ABAC off: that finding resolves, the others stay open and untouched.
    const cluster = estate.assets.get(gkeId) as ClusterAsset;
    estate.assets.set(gkeId, { ...cluster, raw: { ...cluster.raw, cluster: { ...(cluster.raw.cluster as object), legacyAbac: { enabled: false } } } });
    const fixed = new Set(engine.evaluate(estate.assets.get(gkeId) as ClusterAsset).map((f) => f.fingerprint));
    expect(fixed.size).toBeLessThan(before.length);
    await enqueue(gkeJob('sweep-3'));
    expect((await handle(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn))).batchItemFailures).toEqual([]);
    const after = await recordsOf(gkeId);
    for (const r of after) {
      expect(r.status).toBe(fixed.has(r.fingerprint) ? 'open' : 'resolved');
    }
    const resolved = after.filter((r) => r.status === 'resolved');
    expect(resolved.length).toBeGreaterThan(0);
    expect(resolved.every((r) => r.version === 2)).toBe(true);
  });

  it('emits one EMF document per invocation: scans, findings opened and findings resolved', async () => {
    const handle = createWorkerHandler({ ...deps, metrics: createMetrics('worker') });
    // What the rules find on the sample cluster, and what remains once legacy ABAC is turned off (the engine's verdicts).
    const found = new Set(engine.evaluate(estate.assets.get(gkeId) as ClusterAsset).map((f) => f.fingerprint));
    await enqueue(gkeJob('sweep-1'));
    const first = await emfDuring(async () => handle(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn)));
    expect(first.emf).toHaveLength(1);
    expect(first.emf[0]).toMatchObject({ service: 'worker', Scans: 1, AssetsRecorded: 1, FindingsOpened: found.size, FindingsResolved: 0 });
    expect(emfDirective(first.emf[0]!)).toEqual({ namespace: metricsNamespace, metrics: expect.arrayContaining(['Scans', 'FindingsOpened', 'FindingsReopened', 'FindingsResolved']) });

    const cluster = estate.assets.get(gkeId) as ClusterAsset;
    estate.assets.set(gkeId, { ...cluster, raw: { ...cluster.raw, cluster: { ...(cluster.raw.cluster as object), legacyAbac: { enabled: false } } } });
    const remaining = new Set(engine.evaluate(estate.assets.get(gkeId) as ClusterAsset).map((f) => f.fingerprint));
    expect(remaining.size).toBeLessThan(found.size);
    await enqueue(gkeJob('sweep-2'));
    const second = await emfDuring(async () => handle(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn)));
    expect(second.emf).toHaveLength(1);
    expect(second.emf[0]).toMatchObject({ Scans: 1, FindingsOpened: 0, FindingsResolved: found.size - remaining.size });
  });

  it('reports only the failed record of a batch; a poison message is parked with its reason', async () => {
    const ecs = [...estate.assets.values()].find((a) => a.kind === 'workload');
    if (!ecs) throw new Error('sample ECS task definition missing');
    estate.unreachable.add(ecs.id);
    await enqueue(gkeJob(), assetJob(ecs, trigger('sweep-1')), '{"v":1,"type":"scan-image","cloud":"aws"}');
    const messages = await drain(queues.sqs, queues.queueUrl);
    const failedId = messages.find((m) => (m.Body as string).includes(ecs.id))?.MessageId;
    const out = await createWorkerHandler(deps)(toSqsEvent(messages, queues.queueArn));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: failedId }]);
    expect((await recordsOf(gkeId)).length).toBeGreaterThan(0);
    const parked = await drain(queues.sqs, queues.dlqUrl);
    expect(parked).toHaveLength(1);
    expect(parked[0]?.Body).toBe('{"v":1,"type":"scan-image","cloud":"aws"}');
    expect(parked[0]?.MessageAttributes?.rejectedBecause?.StringValue).toMatch(/does not match the job schema/);

    // The network comes back: the retried record now succeeds (its claim was released).
    estate.unreachable.clear();
    await makeVisibleAgain(queues.sqs, queues.queueUrl, messages.filter((m) => m.MessageId === failedId));
    const retry = await drain(queues.sqs, queues.queueUrl);
    expect((await createWorkerHandler(deps)(toSqsEvent(retry, queues.queueArn))).batchItemFailures).toEqual([]);
    expect(logs.text()).toContain('ECONNREFUSED');
  });

  it('keeps one consistent record when two workers get the same job at once', async () => {
    await enqueue(gkeJob());
    const messages = await drain(queues.sqs, queues.queueUrl);
    const event = toSqsEvent(messages, queues.queueArn);
    const [a, b] = await Promise.all([createWorkerHandler(deps)(event), createWorkerHandler(deps)(event)]);
    // One did the work; the other either saw it done or backed off for a retry (never both working).
    const failures = [...a.batchItemFailures, ...b.batchItemFailures];
    expect(failures.length).toBeLessThanOrEqual(1);
    expect(estate.collections).toBe(1);
    const records = await recordsOf(gkeId);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.version === 1 && r.status === 'open')).toBe(true);
    if (failures.length === 1) {
      // The retry of the loser finds the job done and changes nothing.
      expect((await createWorkerHandler(deps)(event)).batchItemFailures).toEqual([]);
      expect(estate.collections).toBe(1);
    }
  });

  it('evaluates and records a scope job\'s configuration assets in place, and fans out no config jobs', async () => {
    await enqueue({ v: 1, type: 'scan-scope', cloud: 'gcp', account: 'shop-prod-4821', region: '', trigger: trigger('sweep-9') });
    const out = await createWorkerHandler(deps)(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn));
    expect(out.batchItemFailures).toEqual([]);
    for (const id of [gkeId, 'gcp://shop-prod-4821/us-central1/gke/search']) {
      const expected = engine.evaluate(estate.assets.get(id) as ClusterAsset).map((f) => f.fingerprint);
      expect((await recordsOf(id)).map((r) => r.fingerprint).sort()).toEqual([...new Set(expected)].sort());
    }
    expect(await drain(queues.sqs, queues.queueUrl)).toEqual([]);
    expect(logs.lines().find((l) => l.msg === 'scope recorded; image jobs queued')).toMatchObject({ scope: 'gcp/shop-prod-4821', completion: 'complete', assets: 2, collectionErrors: 0, imageJobs: 0 });
  });

  it('retries a scope where nothing could be read (SQS redelivers it), logging its collection errors', async () => {
    estate.refusedScopes.add('gcp/shop-prod-4821');
    await enqueue({ v: 1, type: 'scan-scope', cloud: 'gcp', account: 'shop-prod-4821', region: '', trigger: trigger('sweep-10') });
    const messages = await drain(queues.sqs, queues.queueUrl);
    const out = await createWorkerHandler(deps)(toSqsEvent(messages, queues.queueArn));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: messages[0]?.MessageId }]);
    expect(logs.lines().find((l) => l.msg === 'scope collected with errors')).toMatchObject({ collectionErrors: 1 });
    expect(logs.text()).toContain('nothing in scope gcp/shop-prod-4821 could be read');
    expect(await recordsOf(gkeId)).toEqual([]);
    // Access is granted again: the redelivered scope job is not blocked by its released claim.
    estate.refusedScopes.clear();
    await makeVisibleAgain(queues.sqs, queues.queueUrl, messages);
    expect((await createWorkerHandler(deps)(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn))).batchItemFailures).toEqual([]);
    expect((await recordsOf(gkeId)).length).toBeGreaterThan(0);
  });

  it('parks a job no wired collector can serve, with the reason, instead of retrying it', async () => {
    const production = { ...deps, collectors: providerCollectors() };
    await enqueue(gkeJob());
    const out = await createWorkerHandler(production)(toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn));
    expect(out.batchItemFailures).toEqual([]);
    const [parked] = await drain(queues.sqs, queues.dlqUrl);
    expect(parked?.MessageAttributes?.rejectedBecause?.StringValue).toMatch(/no gcp collector for scan-asset jobs/);
  });
});
