// Local end-to-end run of the serverless pipeline (`npm run e2e`): real payloads into the real handlers,
// the real worker against stand-ins, and checks on what a user would see (jobs, findings, state).
//
// Covered: ECR push (EventBridge), an ECR push in a member account forwarded by the member-account stack's
// rule to the organization bus (EventBridge on moto, two accounts), Azure Event Grid (validation handshake + ImagePushed), Pub/Sub push with
// a Google-style signed OIDC token (and a forged one, refused) → SQS (moto) → worker → OCI client pulling a
// crane-pushed image from a real distribution registry on loopback → policy engine (real Wasm bundle) →
// finding state in DynamoDB (moto) with outbox intents; then every message redelivered → no state change.
// Not covered here: the Lambda runtime itself (the organization bus's rule targets a queue standing in for the
// ECR push function, which moto cannot invoke), Scheduler delivery, the bus policy's organization condition
// (moto does not evaluate event bus policies; test/infra/organization.test.ts checks it), scope sweeps and registry
// credentials (test/functions/provider-collectors.test.ts runs those against moto and real registries),
// and publishing (test/publishers, test/cli/publish.test.ts).
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Table from 'cli-table3';
import { parseConfig } from '../core/config.ts';
import { parseJob, policyDigestOf, type ScanImageJob } from '../core/jobs.ts';
import { DynamoStateStore } from '../core/state/dynamodb.ts';
import { pubSubVerifier } from '../functions/auth/google-oidc.ts';
import { createEcrPushHandler } from '../functions/ecr-push.ts';
import { DynamoLedger } from '../functions/runtime/ledger.ts';
import { providerCollectors } from '../functions/runtime/provider-collectors.ts';
import { SqsJobQueue } from '../functions/runtime/queue.ts';
import { StateRecorder } from '../functions/runtime/recorder.ts';
import { CachedSecret, WebhookSecrets } from '../functions/runtime/secrets.ts';
import { createWebhookHandler, defaultMaxBodyBytes } from '../functions/webhook.ts';
import { createWorkerHandler } from '../functions/worker.ts';
import { eventBridgeSources, organizationBusName } from '../infra/posture-stack.ts';
import { Engine } from '../policies/engine.ts';
import { craneFor } from '../test/oci/support/crane.ts';
import { debianSpec } from '../test/oci/support/fixtures.ts';
import { writeLayout } from '../test/oci/support/layout-writer.ts';
import { startRegistry } from '../test/oci/support/registry-server.ts';
import { startGoogleKeys } from '../test/functions/support/jwks.ts';
import { captureLog } from '../test/functions/support/logs.ts';
import { eventGridPush, eventGridValidation, pubsubPush, registryData, urlEvent } from '../test/functions/support/payloads.ts';
import { createQueues, drain, makeVisibleAgain, toSqsEvent } from '../test/functions/support/sqs.ts';
import { startMoto } from '../test/standins/moto.ts';
import { registryAllowList } from '../core/registry-hosts.ts';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface E2eReport {
  checks: Check[];
  images: { trigger: string; assetId: string; findings: number; open: number }[];
}

const ecrHost = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const memberAccount = '210987654321';
const memberEcrHost = `${memberAccount}.dkr.ecr.eu-west-1.amazonaws.com`;
const acrHost = 'shopdemo.azurecr.io';
const arHost = 'europe-west1-docker.pkg.dev';
const egCode = 'eg-e2e-0123456789abcdef0123456789';
const audience = 'posture-e2e-pubsub';
const pusher = 'gcr-push@shop-prod-123.iam.gserviceaccount.com';

export async function runE2e(): Promise<E2eReport> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail = ''): void => {
    checks.push({ name, ok, detail });
  };
  const [moto, registry, keys] = await Promise.all([startMoto({ region: 'eu-west-1', eventsForwarding: true }), startRegistry({ kind: 'none' }), startGoogleKeys({ aud: audience, email: pusher })]);
  const work = await mkdtemp(path.join(tmpdir(), 'posture-e2e-'));
  try {
    // An image pushed by an independent tool, under the repository names each cloud's event will name.
    const crane = await craneFor(registry.host);
    await writeLayout(path.join(work, 'api'), await debianSpec());
    await crane('push', path.join(work, 'api'), `${registry.host}/shop/api:1.0`);
    const digest = await crane('digest', `${registry.host}/shop/api:1.0`);
    await crane('copy', `${registry.host}/shop/api@${digest}`, `${registry.host}/shop-prod-123/images/api:1.0`);

    const queues = await createQueues(moto, 'e2e-scan');
    const db = new DynamoDBClient(moto.clientConfig);
    await db.send(new CreateTableCommand({ TableName: 'e2e-ledger', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
    await db.send(new UpdateTimeToLiveCommand({ TableName: 'e2e-ledger', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
    const store = new DynamoStateStore({ tableName: 'e2e-state', client: db });
    await store.ensureTable();
    const sm = new SecretsManagerClient(moto.clientConfig);
    const secret = await sm.send(new CreateSecretCommand({ Name: 'posture/webhooks', SecretString: JSON.stringify({ eventGrid: [egCode], acr: [] }) }));

    const logs = captureLog();
    const queue = new SqsJobQueue(queues.sqs, queues.queueUrl, queues.dlqUrl);
    const ecrPush = createEcrPushHandler({ queue, log: logs.log });
    const webhook = createWebhookHandler({
      queue,
      secrets: new CachedSecret(sm, secret.ARN as string, WebhookSecrets),
      verifyPubSub: pubSubVerifier({ audience, serviceAccounts: [pusher], jwksUrl: keys.url }),
      acrHeader: 'authorization',
      registryAllowed: registryAllowList([{ host: acrHost }, { host: arHost }]),
      maxBodyBytes: defaultMaxBodyBytes,
      log: logs.log,
    });

    // 1. ECR push via EventBridge.
    const ecr = await ecrPush({
      version: '0', id: 'e2e-ecr-1', 'detail-type': 'ECR Image Action', source: 'aws.ecr', account: '123456789012', time: '2026-01-01T00:00:00Z', region: 'eu-west-1', resources: [],
      detail: { result: 'SUCCESS', 'repository-name': 'shop/api', 'image-digest': digest, 'action-type': 'PUSH', 'image-tag': '1.0' },
    });
    check('ECR push → 1 job', ecr.outcome === 'queued' && ecr.jobs === 1, JSON.stringify(ecr));

    // 1b. A push in a member account: the member stack's rule on its default bus forwards it to the central
    // organization bus, whose rule hands it on (here to a queue standing in for the ECR push function).
    const member = await forwardMemberPush(moto, digest);
    check('member-account push forwarded to the organization bus, its account kept', member.event?.account === memberAccount, JSON.stringify({ account: member.event?.account, region: member.event?.region }));
    const memberPush = member.event ? await ecrPush(member.event) : { outcome: 'not delivered', jobs: 0 };
    check('member-account push → 1 job', memberPush.outcome === 'queued' && memberPush.jobs === 1, JSON.stringify(memberPush));

    // 2. Event Grid: the subscription handshake, then a push.
    const eg = (body: unknown, type: string) => webhook(urlEvent({ path: '/azure/event-grid', body, query: { code: egCode }, headers: { 'aeg-event-type': type } }));
    const validation = await eg(eventGridValidation('e2e-validation-code'), 'SubscriptionValidation');
    check('Event Grid validation answered', validation.statusCode === 200 && JSON.parse(validation.body).validationResponse === 'e2e-validation-code', validation.body);
    const egPush = await eg(eventGridPush({ ...registryData({ repository: 'shop/api', digest, tag: '1.0' }), request: { id: 'r1', host: acrHost, method: 'PUT' } }), 'Notification');
    check('Event Grid push → 1 job', egPush.statusCode === 200 && JSON.parse(egPush.body).queued === 1, egPush.body);

    // 3. Pub/Sub push from Artifact Registry, then a forged one.
    const note = { action: 'INSERT', digest: `${arHost}/shop-prod-123/images/api@${digest}`, tag: `${arHost}/shop-prod-123/images/api:1.0` };
    const ps = await webhook(urlEvent({ path: '/gcp/pubsub', body: pubsubPush(note), headers: { authorization: `Bearer ${await keys.sign()}` } }));
    check('Pub/Sub push (signed) → 1 job', ps.statusCode === 200 && JSON.parse(ps.body).queued === 1, ps.body);
    const forged = await webhook(urlEvent({ path: '/gcp/pubsub', body: pubsubPush(note), headers: { authorization: `Bearer ${await keys.signForged()}` } }));
    check('Pub/Sub push (forged signature) → 401, no job', forged.statusCode === 401, forged.body);

    const messages = await drain(queues.sqs, queues.queueUrl);
    const jobs = messages.map((m) => parseJob(m.Body as string) as ScanImageJob);
    check('exactly 4 jobs on the queue', jobs.length === 4, jobs.map((j) => `${j.cloud}:${j.image.registry}`).join(', '));

    // 4. The worker, with the production collectors pointed at the loopback registry.
    const engine = await Engine.load({ config: parseConfig({}) });
    const workerDeps = {
      queue,
      ledger: new DynamoLedger(db, 'e2e-ledger', { leaseSeconds: 360, retainSeconds: 86_400 }),
      engine,
      policyDigest: policyDigestOf(engine.bundleDigest, {}),
      // The registries' own scanners (ECR/Inspector, Defender, Artifact Analysis) are off here: this harness has
      // no stand-ins for them, and left on they would reach for the real cloud endpoints and credential sources
      // (the metadata server among them). Their readers are tested against loopback stand-ins in test/aws,
      // test/azure, test/gcp and test/functions/provider-collectors.test.ts.
      collectors: providerCollectors({
        registryEndpoints: { [ecrHost]: registry.host, [memberEcrHost]: registry.host, [acrHost]: registry.host, [arHost]: registry.host },
        insecureHosts: [registry.host],
        settings: { aws: { nativeFindings: false }, azure: { defenderFindings: false }, gcp: { artifactAnalysis: false } },
      }),
      recorder: new StateRecorder(store, () => ({ targets: ['jira'] })),
      concurrency: 3,
      log: logs.log,
    };
    const worker = createWorkerHandler(workerDeps);
    const first = await worker(toSqsEvent(messages, queues.queueArn));
    check('worker: no failed records', first.batchItemFailures.length === 0, JSON.stringify(first.batchItemFailures));

    const images: E2eReport['images'] = [];
    for (const [trigger, id] of [
      ['ECR push', `oci://${ecrHost}/shop/api@${digest}`],
      ['ECR push (member account)', `oci://${memberEcrHost}/shop/api@${digest}`],
      ['Event Grid', `oci://${acrHost}/shop/api@${digest}`],
      ['Pub/Sub', `oci://${arHost}/shop-prod-123/images/api@${digest}`],
    ] as const) {
      const records = await store.listByAsset(id);
      images.push({ trigger, assetId: id, findings: records.length, open: records.filter((r) => r.status === 'open').length });
    }
    check('each image recorded under its own registry, with findings', images.every((i) => i.findings > 0 && i.open === i.findings), JSON.stringify(images));
    const intentsBefore = await store.countIntents(['jira']);
    check('one outbox intent per open finding', intentsBefore.pending === images.reduce((n, i) => n + i.open, 0), JSON.stringify(intentsBefore));

    // 5. Redelivery of every message: no duplicate work, no state change.
    const snapshot = async () => JSON.stringify(await Promise.all(images.map((i) => store.listByAsset(i.assetId))));
    const before = await snapshot();
    await makeVisibleAgain(queues.sqs, queues.queueUrl, messages);
    const again = await drain(queues.sqs, queues.queueUrl);
    const second = await worker(toSqsEvent(again, queues.queueArn));
    check('redelivery: no failures', second.batchItemFailures.length === 0 && again.length === 4, `${again.length} redelivered`);
    check('redelivery: state unchanged', before === (await snapshot()), '');
    check('redelivery: outbox unchanged', JSON.stringify(intentsBefore) === JSON.stringify(await store.countIntents(['jira'])), '');
    const skipped = logs.lines().filter((l) => l.msg === 'job already processed under this policy; redelivery skipped').length;
    check('redelivery: every job skipped before collecting', skipped === 4, `${skipped} skipped`);
    check('dead-letter queue empty', (await drain(queues.sqs, queues.dlqUrl)).length === 0, '');
    return { checks, images };
  } finally {
    await Promise.allSettled([moto.stop(), registry.stop(), keys.close(), rm(work, { recursive: true, force: true })]);
  }
}

/** An SDK client acting as another moto account (moto reads the account from this header). */
function asAccount<C extends { middlewareStack: { add: (...args: never[]) => unknown } }>(client: C, account: string): C {
  (client.middlewareStack as unknown as { add: (mw: unknown, opts: unknown) => void }).add(
    (next: (args: { request: { headers: Record<string, string> } }) => unknown) => (args: { request: { headers: Record<string, string> } }) => {
      args.request.headers['x-moto-account-id'] = account;
      return next(args);
    },
    { step: 'build', name: 'motoAccount' },
  );
  return client;
}

/**
 * The organization path of a member-account push, on moto's EventBridge: the central account's organization
 * bus with the central stack's rule, the member account's default-bus rule with the member stack's pattern
 * and the central bus as target, then ECR's push event put in the member account. Returns what the central
 * rule delivered (the event the ECR push function would be invoked with).
 */
async function forwardMemberPush(moto: Awaited<ReturnType<typeof startMoto>>, digest: string) {
  const central = new EventBridgeClient(moto.clientConfig);
  const memberBus = asAccount(new EventBridgeClient(moto.clientConfig), memberAccount);
  const bus = await central.send(new CreateEventBusCommand({ Name: organizationBusName }));
  const capture = await createQueues(moto, 'e2e-org-bus-target');
  const push = eventBridgeSources().find((s) => s.trigger === 'ecr-push');
  if (!push) throw new Error('no ECR push event source declared');
  // The declarations use CDK's camelCase keys (detailType); the EventBridge API takes the event's own (detail-type).
  const { detailType, ...rest } = push.pattern({ repositoryPrefixes: [] }) as { detailType?: string[] };
  const pattern = JSON.stringify({ ...rest, ...(detailType ? { 'detail-type': detailType } : {}) });
  await central.send(new PutRuleCommand({ Name: 'org-ecr-push', EventBusName: organizationBusName, EventPattern: pattern }));
  await central.send(new PutTargetsCommand({ Rule: 'org-ecr-push', EventBusName: organizationBusName, Targets: [{ Id: 'ecr-push', Arn: capture.queueArn }] }));
  await memberBus.send(new PutRuleCommand({ Name: 'forward-ecr-push', EventPattern: pattern }));
  await memberBus.send(new PutTargetsCommand({ Rule: 'forward-ecr-push', Targets: [{ Id: 'central', Arn: bus.EventBusArn }] }));
  const put = await memberBus.send(
    new PutEventsCommand({
      Entries: [{ Source: 'aws.ecr', DetailType: 'ECR Image Action', Detail: JSON.stringify({ result: 'SUCCESS', 'repository-name': 'shop/api', 'image-digest': digest, 'action-type': 'PUSH', 'image-tag': '1.0' }) }],
    }),
  );
  if (put.FailedEntryCount) throw new Error(`PutEvents in the member account failed: ${JSON.stringify(put.Entries)}`);
  const delivered = await drain(capture.sqs, capture.queueUrl);
  for (const c of [central, memberBus, capture.sqs]) c.destroy();
  return { event: delivered[0] ? (JSON.parse(delivered[0].Body as string) as Parameters<ReturnType<typeof createEcrPushHandler>>[0] & { account: string; region: string }) : undefined };
}

async function main(): Promise<void> {
  const report = await runE2e();
  const table = new Table({ head: ['check', 'result', 'detail'], colWidths: [52, 8, 70], wordWrap: true });
  for (const c of report.checks) table.push([c.name, c.ok ? 'ok' : 'FAIL', c.detail.slice(0, 300)]);
  process.stdout.write(`${table.toString()}\n`);
  const images = new Table({ head: ['trigger', 'asset', 'findings', 'open'] });
  for (const i of report.images) images.push([i.trigger, i.assetId.replace(/@sha256:(.{12}).*/, '@sha256:$1…'), i.findings, i.open]);
  process.stdout.write(`${images.toString()}\n`);
  process.stdout.write('Covered: handlers, SQS, worker, OCI pull from a real registry, policy engine, DynamoDB state. Not covered here: Lambda runtime, EventBridge/Scheduler delivery; scope sweeps and registry credentials are in test/functions/provider-collectors.test.ts, publishing in test/publishers.\n');
  if (report.checks.some((c) => !c.ok)) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    process.stderr.write(`e2e failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  });
}
