// Events and jobs an attacker shapes, against the real handlers, SQS and DynamoDB on moto and a hostile
// registry stand-in: a webhook body that names another registry or a malformed repository is refused
// with nothing queued; an Event Grid handshake batch still queues its pushes; an invalid job is
// dead-lettered at once; a broken image is one recorded scan error while the rest of the batch goes on;
// and a worker short of time stops before the Lambda timeout and leaves its records retryable.
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { parseJob, policyDigestOf, type ScanImageJob } from '../../core/jobs.ts';
import { registryAllowList } from '../../core/registry-hosts.ts';
import { DynamoStateStore } from '../../core/state/dynamodb.ts';
import { DynamoLedger } from '../../functions/runtime/ledger.ts';
import { providerCollectors } from '../../functions/runtime/provider-collectors.ts';
import { SqsJobQueue } from '../../functions/runtime/queue.ts';
import { StateRecorder } from '../../functions/runtime/recorder.ts';
import { CachedSecret, WebhookSecrets } from '../../functions/runtime/secrets.ts';
import { createWebhookHandler, defaultMaxBodyBytes } from '../../functions/webhook.ts';
import { createWorkerHandler, type WorkerDeps } from '../../functions/worker.ts';
import { Engine } from '../../policies/engine.ts';
import { startHostileRegistry, type HostileRegistry } from '../oci/support/hostile-registry.ts';
import { buildLayer } from '../oci/support/layers.ts';
import { startMoto, type MotoServer } from '../standins/moto.ts';
import { captureLog } from './support/logs.ts';
import { eventGridPush, eventGridValidation, registryData, urlEvent } from './support/payloads.ts';
import { createQueues, drain, toSqsEvent, type Queues } from './support/sqs.ts';

const acrSecret = 'acr-webhook-secret-0123456789';
const eventGridCode = 'event-grid-code-0123456789';
let moto: MotoServer;
let queues: Queues;
let registry: HostileRegistry;
let engine: Engine;
let webhook: ReturnType<typeof createWebhookHandler>;
const logs = captureLog();
let tables = 0;

beforeAll(async () => {
  [moto, registry] = await Promise.all([startMoto(), startHostileRegistry()]);
  engine = await Engine.load({ config: parseConfig({}), now: new Date('2026-01-01T00:00:00Z') });
  queues = await createQueues(moto, 'hostile-events');
  const sm = new SecretsManagerClient(moto.clientConfig);
  const secret = await sm.send(new CreateSecretCommand({ Name: 'posture/hostile-webhooks', SecretString: JSON.stringify({ acr: [acrSecret], eventGrid: [eventGridCode] }) }));
  webhook = createWebhookHandler({
    queue: new SqsJobQueue(queues.sqs, queues.queueUrl, queues.dlqUrl),
    secrets: new CachedSecret(sm, secret.ARN as string, WebhookSecrets),
    verifyPubSub: undefined,
    acrHeader: 'authorization',
    registryAllowed: registryAllowList([{ host: 'demo.azurecr.io' }]),
    maxBodyBytes: defaultMaxBodyBytes,
    log: logs.log,
  });
});
afterAll(async () => Promise.all([moto?.stop(), registry?.stop()]));
beforeEach(() => logs.clear());

const acr = (body: unknown) => webhook(urlEvent({ path: '/azure/acr', body, headers: { authorization: `Bearer ${acrSecret}` } }));
const eventGrid = (body: unknown, headers: Record<string, string> = { 'aeg-event-type': 'Notification' }) =>
  webhook(urlEvent({ path: '/azure/event-grid', body, query: { code: eventGridCode }, headers }));
/** A push as the registry sends it, with parts of its target or request replaced. */
const push = (target: Record<string, unknown> = {}, request: Record<string, unknown> = {}): Record<string, unknown> => {
  const data = registryData(target);
  return { ...data, request: { ...(data.request as object), ...request } };
};

describe('webhook bodies that name what the worker will pull', () => {
  it('refuses a registry host the configuration does not name, and queues nothing', async () => {
    const res = await acr(push({}, { host: 'attacker.example.com' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('registry attacker.example.com is not one the configuration names');
    const batch = await eventGrid(eventGridPush(push()).concat(eventGridPush(push({}, { host: 'attacker.example.com' }))));
    expect(batch.statusCode).toBe(400);
    expect(await drain(queues.sqs, queues.queueUrl)).toEqual([]);
  });

  it('refuses repositories, tags and hosts outside the reference grammar', async () => {
    for (const bad of [
      push({ repository: '../../etc/passwd' }),
      push({ repository: 'Shop/API' }),
      push({ tag: 'v1 && curl evil' }),
      push({ tag: '-rm' }),
      push({}, { host: 'demo.azurecr.io@attacker.example.com' }),
      push({}, { host: 'demo.azurecr.io/../x' }),
    ]) {
      const res = await acr(bad);
      expect([res.statusCode, res.body]).toEqual([400, expect.stringMatching(/ACR webhook push/)]);
    }
    expect(await drain(queues.sqs, queues.queueUrl)).toEqual([]);
  });

  it('answers the Event Grid handshake and still queues the pushes delivered with it', async () => {
    const res = await eventGrid([...eventGridValidation('hs-code-1'), ...eventGridPush(registryData())], { 'aeg-event-type': 'SubscriptionValidation' });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ validationResponse: 'hs-code-1' });
    const queued = (await drain(queues.sqs, queues.queueUrl)).map((m) => parseJob(m.Body as string) as ScanImageJob);
    expect(queued.map((j) => j.image.registry)).toEqual(['demo.azurecr.io']);
  });
});

describe('the worker against invalid jobs, broken images and its own deadline', () => {
  let deps: WorkerDeps;
  let ledger: DynamoLedger;

  beforeEach(async () => {
    const db = new DynamoDBClient(moto.clientConfig);
    tables += 1;
    await db.send(
      new CreateTableCommand({ TableName: `hostile-ledger-${tables}`, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }),
    );
    await db.send(new UpdateTimeToLiveCommand({ TableName: `hostile-ledger-${tables}`, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
    const store = new DynamoStateStore({ tableName: `hostile-state-${tables}`, client: db });
    await store.ensureTable();
    ledger = new DynamoLedger(db, `hostile-ledger-${tables}`, { leaseSeconds: 600, retainSeconds: 86_400 });
    deps = {
      queue: new SqsJobQueue(queues.sqs, queues.queueUrl, queues.dlqUrl),
      ledger,
      engine,
      policyDigest: policyDigestOf(engine.bundleDigest, {}),
      collectors: providerCollectors({ insecureHosts: [registry.host], image: { maxRetries: 0, timeouts: { bodyIdleMs: 10_000 } } }),
      recorder: new StateRecorder(store, () => ({ targets: [] })),
      concurrency: 2,
      log: logs.log,
      registryAllowed: registryAllowList([{ host: registry.host }]),
    };
  });

  const imageJob = (repository: string, eventId: string, registryHost = registry.host, source: ScanImageJob['trigger']['source'] = 'acr-webhook'): ScanImageJob => ({
    v: 1,
    type: 'scan-image',
    cloud: 'azure',
    account: '',
    region: '',
    image: { registry: registryHost, repository, digest: null, tag: '1' },
    trigger: { source, eventId, at: '2026-01-01T00:00:00Z' },
  });
  const send = async (...bodies: string[]) => {
    for (const body of bodies) await queues.sqs.send(new SendMessageCommand({ QueueUrl: queues.queueUrl, MessageBody: body }));
    return toSqsEvent(await drain(queues.sqs, queues.queueUrl), queues.queueArn);
  };

  it('dead-letters a job that can never succeed at once, instead of retrying it', async () => {
    const badRepo = { ...imageJob('x', 'bad-repo'), image: { registry: registry.host, repository: 'Shop/API', digest: null, tag: '1' } };
    const foreign = imageJob('shop/api', 'foreign', 'attacker.example.com');
    const out = await createWorkerHandler(deps)(await send(JSON.stringify(badRepo), JSON.stringify(foreign)));
    expect(out.batchItemFailures).toEqual([]);
    const parked = await drain(queues.sqs, queues.dlqUrl);
    expect(parked).toHaveLength(2);
    const reasons = parked.map((m) => m.MessageAttributes?.rejectedBecause?.StringValue ?? '').sort();
    expect(reasons[0]).toMatch(/expected a repository name[\s\S]*at image\.repository/);
    expect(reasons[1]).toMatch(/registry attacker\.example\.com is not one the configuration names/);
  });

  it('records a broken image as one scan error and goes on with the rest of the batch', async () => {
    const good = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }]);
    const layer = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }, { path: 'data', content: Buffer.alloc(40_000, 1) }]);
    const other = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }, { path: 'data', content: Buffer.alloc(40_000, 2) }]);
    registry.image('batch/good', '1', [good]);
    registry.image('batch/tampered', '1', [layer]);
    registry.on(`/v2/batch/tampered/blobs/${layer.digest}`, { kind: 'bytes', body: other.blob });
    const out = await createWorkerHandler(deps)(await send(JSON.stringify(imageJob('batch/tampered', 'b1')), JSON.stringify(imageJob('batch/good', 'b2'))));
    expect(out.batchItemFailures).toEqual([]);
    const recorded = logs.lines().filter((l) => l.msg === 'scan recorded');
    expect(recorded).toHaveLength(2);
  });

  it('stops before the Lambda timeout, hands the record back and releases its claim for the redelivery', async () => {
    const slow = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }, { path: 'data', content: Buffer.alloc(40_000, 3) }]);
    registry.image('slow/drip', '1', [slow]);
    registry.on(`/v2/slow/drip/blobs/${slow.digest}`, { kind: 'drip', intervalMs: 100 });
    const event = await send(JSON.stringify(imageJob('slow/drip', 'd1')));
    const started = Date.now();
    // 4 s left in the invocation, 2 s kept back: the worker must give up after about 2 s.
    const out = await createWorkerHandler({ ...deps, reserveMs: 2_000 })(event, { getRemainingTimeInMillis: () => 4_000 - (Date.now() - started) });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]!.messageId }]);
    expect(logs.lines().some((l) => l.msg === 'scan recorded')).toBe(false);
    // The claim was released: a redelivery takes the job at once (a held claim would answer "busy" for 600 s).
    registry.on(`/v2/slow/drip/blobs/${slow.digest}`, { kind: 'bytes', body: slow.blob });
    const retry = await createWorkerHandler(deps)(event);
    expect(retry.batchItemFailures).toEqual([]);
    expect(logs.lines().filter((l) => l.msg === 'scan recorded')).toHaveLength(1);
  });
});
