// Each function's real code paths, run with exactly the permissions the synthesized template gives its
// role: moto enforces IAM (test/standins/moto_iam_resources.py makes it authorize DynamoDB, Secrets
// Manager and Security Hub calls on the resource they name, as AWS does), the template's tables, queues
// and secrets exist under their logical ids, and each function acts as a role created from its template
// policies (test/infra/support/stack-in-moto.ts). A permission the template forgot fails here, as it would
// in the account; a permission another function holds does not help.
import { GetItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateRepositoryCommand, ECRClient, PutImageCommand, StartImageScanCommand } from '@aws-sdk/client-ecr';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { DeleteMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../core/config.ts';
import { parseJob, policyDigestOf, type Job, type ScanImageJob, type Trigger } from '../../core/jobs.ts';
import { DynamoStateStore } from '../../core/state/dynamodb.ts';
import { ManualClock } from '../../core/state/clock.ts';
import { createEcrPushHandler } from '../../functions/ecr-push.ts';
import { createPublisherHandler } from '../../functions/publisher.ts';
import { createVulnDbSyncHandler } from '../../functions/vulndb-sync.ts';
import { S3InventoryCache } from '../../functions/runtime/inventory-cache.ts';
import { CloudVulnDb } from '../../functions/runtime/vulndb.ts';
import { envNames, jsonFrom } from '../../functions/runtime/env.ts';
import { activeAccounts, AwsOrganization } from '../../providers/aws/organization.ts';
import { DynamoLedger } from '../../functions/runtime/ledger.ts';
import { providerCollectors } from '../../functions/runtime/provider-collectors.ts';
import { SqsJobQueue } from '../../functions/runtime/queue.ts';
import { StateRecorder } from '../../functions/runtime/recorder.ts';
import { scopesFromEnv } from '../../functions/runtime/scopes.ts';
import { CachedSecret, WebhookSecrets } from '../../functions/runtime/secrets.ts';
import { createScheduleHandler } from '../../functions/schedule.ts';
import { createWebhookHandler, defaultMaxBodyBytes } from '../../functions/webhook.ts';
import { createWorkerHandler } from '../../functions/worker.ts';
import { Engine } from '../../policies/engine.ts';
import { publishTargets } from '../../publishers/config.ts';
import { publishersFromConfig, secretsManagerLoader } from '../../publishers/from-config.ts';
import { isMotoGap } from '../aws/support/moto-gaps.ts';
import { captureLog } from '../functions/support/logs.ts';
import { eventGridValidation, urlEvent } from '../functions/support/payloads.ts';
import { drain, toSqsEvent } from '../functions/support/sqs.ts';
import { craneFor } from '../oci/support/crane.ts';
import { debianSpec } from '../oci/support/fixtures.ts';
import { writeLayout } from '../oci/support/layout-writer.ts';
import { startRegistry, type RunningRegistry } from '../oci/support/registry-server.ts';
import { startJira, type JiraStandin } from '../standins/jira.ts';
import { startMoto, type MotoServer } from '../standins/moto.ts';
import { startServiceNow, type ServiceNowStandin } from '../standins/servicenow.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../standins/webhook-receiver.ts';
import { OsvBucket, recordsOf, zipRecords } from '../vulns/support/osv-bucket.ts';
import { StackInMoto, without, type Credentials, type PolicyStatement } from './support/stack-in-moto.ts';
import { synthesize } from './synth.ts';

const account = '123456789012';
const region = 'eu-west-1';
const ecrHost = `${account}.dkr.ecr.${region}.amazonaws.com`;
const egCode = 'eg-iam-0123456789abcdef0123456789';
const trigger = (eventId: string): Trigger => ({ source: 'schedule', eventId, at: '2026-06-01T00:00:00Z' });

let moto: MotoServer;
let registry: RunningRegistry;
let jira: JiraStandin;
let servicenow: ServiceNowStandin;
let webhookReceiver: WebhookReceiver;
let osv: OsvBucket;
let work: string;
let stack: StackInMoto;
let digest: string;
let configFile: string;
let nag: { rule: string; resource: string; message: string }[];
let memberAccount: string;
let excludedAccount: string;
const clock = new ManualClock();
const logs = captureLog();

/** The production SDK clients, signed with a function role's session, against moto. */
const as = (credentials: Credentials) => stack.clientConfig(credentials);
const adminSqs = () => new SQSClient(as(stack.admin));
/** Receives and deletes every message on the queue (as Lambda's poller deletes what a handler took). */
async function take(queueUrl: string | undefined) {
  const sqs = adminSqs();
  const messages = await drain(sqs, queueUrl as string);
  for (const m of messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
  return messages;
}
const queueArn = () => `arn:aws:sqs:${region}:${account}:${stack.environment('Worker')[envNames.queueUrl]?.split('/').pop()}`;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-iam-'));
  [moto, registry, jira, servicenow, webhookReceiver, osv] = await Promise.all([
    startMoto({ region, iam: true }),
    // moto's GetAuthorizationToken answers base64("AWS:<account>-auth-token"): only that pair may pull.
    startRegistry({ kind: 'htpasswd', users: { AWS: `${account}-auth-token`, pusher: 'push-secret' } }),
    startJira({ clock, searchLagMs: 0 }),
    startServiceNow({ clock }),
    startWebhookReceiver({ clock }),
    // OSV's public bucket, for the vulnerability database sync (the test's advisory records, zipped as OSV ships them).
    OsvBucket.start(),
  ]);
  for (const e of ['Debian', 'npm']) osv.set(e, { kind: 'zip', body: await zipRecords(recordsOf(e)), lastModified: 'Tue, 03 Oct 2023 17:00:00 GMT' });
  const crane = await craneFor(registry.host, 'pusher', 'push-secret');
  await writeLayout(join(work, 'debian'), await debianSpec());
  await crane('push', join(work, 'debian'), `${registry.host}/shop/api:1.0`);
  digest = await crane('digest', `${registry.host}/shop/api:1.0`);
  const manifest = await crane('manifest', `${registry.host}/shop/api:1.0`);

  // posture.yaml as the deployment ships it: every publisher, secrets by (partial) ARN from Secrets Manager.
  const secret = (name: string) => `arn:aws:secretsmanager:${region}:${account}:secret:posture/ticketing/${name}`;
  configFile = join(work, 'posture.yaml');
  await writeFile(
    configFile,
    toYaml({
      aws: { homeRegion: region, endpoints: Object.fromEntries(['sts', 'ec2', 'organizations', 'ecr', 'ecs', 'eks'].map((s) => [s, moto.endpoint])), imagesPerRepository: 1, maxAttempts: 1 },
      publish: {
        allowLoopbackHttpForTests: true,
        jira: { baseUrl: jira.url, email: jira.email, apiToken: { secretArn: secret('jira'), key: 'apiToken' }, project: 'SEC', components: ['platform'] },
        servicenow: { instanceUrl: servicenow.url, auth: { basic: { username: servicenow.username, password: { secretArn: secret('servicenow'), key: 'password' } } } },
        webhook: { url: webhookReceiver.url, secret: { secretArn: secret('grc-webhook'), key: 'secret' } },
        securityhub: { region, accountId: account },
      },
    }),
  );
  // An organization of three accounts: this one (the management account), a member, and an excluded one.
  const orgs = new OrganizationsClient({ ...moto.clientConfig, region: 'us-east-1' });
  const org = await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const created = [];
  for (const name of ['shop-prod', 'sandbox']) {
    created.push((await orgs.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }))).CreateAccountStatus?.AccountId as string);
  }
  [memberAccount, excludedAccount] = created as [string, string];
  let template;
  ({ template, nag } = synthesize(
    {
      configFile,
      scopes: { aws: [{ account, regions: [region] }] },
      organization: { id: org.Organization?.Id as string, regions: [region], exclude: [excludedAccount] },
    },
    { bundle: false },
  ));
  stack = await StackInMoto.deploy(moto, template.toJSON() as never, {
    account,
    region,
    secretValues: {
      'posture/ticketing/jira': JSON.stringify({ apiToken: jira.apiToken }),
      'posture/ticketing/servicenow': JSON.stringify({ password: servicenow.password }),
      'posture/ticketing/grc-webhook': JSON.stringify({ secret: webhookReceiver.secret }),
      WebhookSecrets: JSON.stringify({ eventGrid: [egCode], acr: [] }),
    },
  });
  const ecr = new ECRClient(moto.clientConfig);
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'shop/api' }));
  await ecr.send(new PutImageCommand({ repositoryName: 'shop/api', imageManifest: manifest, imageManifestMediaType: JSON.parse(manifest).mediaType, imageTag: '1.0', imageDigest: digest }));
  await ecr.send(new StartImageScanCommand({ repositoryName: 'shop/api', imageId: { imageDigest: digest } }));
  // From here on every request needs a principal whose policies allow it.
  await moto.enforceIam(true);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([moto?.stop(), registry?.stop(), jira?.close(), servicenow?.close(), webhookReceiver?.close(), osv?.close()]);
  if (work) await rm(work, { recursive: true, force: true });
});

describe('IAM enforcement itself', () => {
  it('the stack under test (every publisher configured, Security Hub included) is cdk-nag clean', () => {
    expect(nag).toEqual([]);
  });

  it('refuses a principal moto does not know, and a role without the statement for the call', async () => {
    const env = stack.environment('EcrPush');
    await expect(new SQSClient(moto.clientConfig).send(new SendMessageCommand({ QueueUrl: env[envNames.queueUrl], MessageBody: '{}' }))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    // The ECR push function sends to the scan queue; it may not read finding state.
    const ecrPush = await stack.assumeFunctionRole('EcrPush');
    const worker = stack.environment('Worker');
    await expect(new DynamoDBClient(as(ecrPush)).send(new GetItemCommand({ TableName: worker[envNames.stateTable], Key: { pk: { S: 'x' }, sk: { S: 'y' } } }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    // A resource-scoped grant covers its resource only: the webhook reads its secret, not Jira's token.
    const webhook = await stack.assumeFunctionRole('Webhook');
    const sm = new SecretsManagerClient(as(webhook));
    await expect(sm.send(new GetSecretValueCommand({ SecretId: stack.environment('Webhook')[envNames.webhookSecretArn] }))).resolves.toMatchObject({ SecretString: expect.any(String) });
    await expect(sm.send(new GetSecretValueCommand({ SecretId: 'posture/ticketing/jira' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('each function with its template role', () => {
  it('ecr-push queues a push and dead-letters a malformed event', async () => {
    const env = stack.environment('EcrPush');
    const sqs = new SQSClient(as(await stack.assumeFunctionRole('EcrPush')));
    const handle = createEcrPushHandler({ queue: new SqsJobQueue(sqs, env[envNames.queueUrl] as string, env[envNames.deadLetterUrl] as string), log: logs.log });
    const push = { version: '0', id: 'iam-push-1', 'detail-type': 'ECR Image Action', source: 'aws.ecr', account, time: '2026-06-01T00:00:00Z', region, resources: [] };
    await expect(handle({ ...push, detail: { result: 'SUCCESS', 'repository-name': 'shop/api', 'image-digest': digest, 'action-type': 'PUSH', 'image-tag': '1.0' } })).resolves.toMatchObject({ outcome: 'queued', jobs: 1 });
    await expect(handle({ ...push, id: 'iam-push-2', detail: { result: 'SUCCESS' } })).resolves.toMatchObject({ outcome: 'rejected' });
    expect((await take(env[envNames.queueUrl])).map((m) => parseJob(m.Body as string).type)).toEqual(['scan-image']);
    expect(await take(env[envNames.deadLetterUrl])).toHaveLength(1);
  });

  it('webhook reads its shared secret and answers the Event Grid handshake', async () => {
    const env = stack.environment('Webhook');
    const role = await stack.assumeFunctionRole('Webhook');
    const handle = createWebhookHandler({
      queue: new SqsJobQueue(new SQSClient(as(role)), env[envNames.queueUrl] as string, env[envNames.deadLetterUrl] as string),
      secrets: new CachedSecret(new SecretsManagerClient(as(role)), env[envNames.webhookSecretArn] as string, WebhookSecrets),
      verifyPubSub: undefined,
      acrHeader: 'authorization',
      maxBodyBytes: defaultMaxBodyBytes,
      registryAllowed: () => true,
      log: logs.log,
    });
    const answer = await handle(urlEvent({ path: '/azure/event-grid', body: eventGridValidation('iam-validation'), query: { code: egCode }, headers: { 'aeg-event-type': 'SubscriptionValidation' } }));
    expect(answer).toMatchObject({ statusCode: 200 });
    expect(JSON.parse(answer.body)).toEqual({ validationResponse: 'iam-validation' });
  });

  it('schedule lists the organization and queues one scope job per configured scope and per member account × region', async () => {
    const env = stack.environment('Schedule');
    const role = await stack.assumeFunctionRole('Schedule');
    const organization = jsonFrom(env, envNames.organization, AwsOrganization);
    if (!organization) throw new Error('the template gives the schedule no organization');
    const organizations = new OrganizationsClient({ ...as(role), region: organization.apiRegion });
    const handle = createScheduleHandler({
      queue: new SqsJobQueue(new SQSClient(as(role)), env[envNames.queueUrl] as string, env[envNames.deadLetterUrl] as string),
      scopes: scopesFromEnv(env, envNames.scopes),
      organization: { settings: organization, activeAccounts: () => activeAccounts(organizations) },
      log: logs.log,
    });
    // This account is both configured and in the organization (one job); the sandbox is excluded.
    await expect(handle({ kind: 'sweep', executionId: 'iam-sweep-1', scheduledTime: '2026-06-01T00:00:00Z' })).resolves.toEqual({ jobs: 2 });
    const jobs = (await take(env[envNames.queueUrl])).map((m) => parseJob(m.Body as string));
    expect(jobs.map((j) => `${j.type} ${j.account} ${j.region}`).sort()).toEqual([`scan-scope ${account} ${region}`, `scan-scope ${memberAccount} ${region}`].sort());
    expect(jobs.map((j) => j.account)).not.toContain(excludedAccount);
    // Without organizations:ListAccounts the configured scopes still go out, and the invocation fails, naming why.
    const denied = await stack.assumeFunctionRole('Schedule', without(stack.statements('Schedule'), 'organizations:ListAccounts'));
    const refused = createScheduleHandler({
      queue: new SqsJobQueue(new SQSClient(as(denied)), env[envNames.queueUrl] as string, env[envNames.deadLetterUrl] as string),
      scopes: scopesFromEnv(env, envNames.scopes),
      organization: { settings: organization, activeAccounts: () => activeAccounts(new OrganizationsClient({ ...as(denied), region: organization.apiRegion })) },
      log: logs.log,
    });
    await expect(refused({ kind: 'sweep', executionId: 'iam-sweep-2' })).rejects.toThrow(/Organizations ListAccounts failed, member accounts not swept: AccessDeniedException/);
    expect((await take(env[envNames.queueUrl])).map((m) => parseJob(m.Body as string).account)).toEqual([account]);
  });

  it('vulndb-sync publishes the index with its template role, which the worker\'s role reads and may not replace', async () => {
    const bucket = stack.environment('VulnDbSync')[envNames.vulnDbBucket] as string;
    expect(stack.environment('Worker')[envNames.vulnDbBucket]).toBe(bucket);
    const sync = (role: Credentials) =>
      createVulnDbSyncHandler({
        s3: new S3Client(stack.s3Config(role)),
        bucket,
        sources: ['Debian', 'npm'].map((ecosystem) => ({ kind: 'osv' as const, ecosystem, baseUrl: osv.baseUrl })),
        workDir: work,
        log: logs.log,
      })({ kind: 'vulndb-sync', executionId: 'iam-sync-1' });
    // Without s3:PutObject (s3:GetObject kept) the sync reads that nothing is published yet, and cannot publish.
    const statements = stack.statements('VulnDbSync');
    expect(statements.some((s) => [s.Action].flat().includes('s3:PutObject'))).toBe(true);
    const noPut: PolicyStatement[] = statements.map((s) => ({ ...s, Action: [s.Action].flat().filter((a) => a !== 's3:PutObject') })).filter((s) => s.Action.length > 0);
    await expect(sync(await stack.assumeFunctionRole('VulnDbSync', noPut))).rejects.toThrow(/Access ?Denied/i);

    const summary = await sync(await stack.assumeFunctionRole('VulnDbSync'));
    expect(summary).toMatchObject({ published: true, updated: ['Debian', 'npm'], failed: [] });
    // The worker loads what was published, with its own role, and may not overwrite it.
    const workerS3 = new S3Client(stack.s3Config(await stack.assumeFunctionRole('Worker')));
    const index = new CloudVulnDb(workerS3, bucket, { dir: join(work, 'worker-index'), log: logs.log });
    try {
      expect(await index.current()).toEqual({ store: expect.anything(), file: `s3://${bucket}/${summary.key}` });
    } finally {
      index.close();
    }
    await expect(workerS3.send(new PutObjectCommand({ Bucket: bucket, Key: 'vulndb/manifest.json', Body: '{}' }))).rejects.toThrow(/Access ?Denied/i);
  });

  it('worker: scope sweep, image scan and native-scan refresh, refused nothing', async () => {
    const env = stack.environment('Worker');
    const role = await stack.assumeFunctionRole('Worker');
    const config = loadConfig(configFile);
    const engine = await Engine.load({ config: parseConfig({}), now: new Date('2026-06-01T00:00:00Z') });
    const db = new DynamoDBClient(as(role));
    const sqs = new SQSClient(as(role));
    const queue = new SqsJobQueue(sqs, env[envNames.queueUrl] as string, env[envNames.deadLetterUrl] as string);
    // The data bucket as the worker's wiring uses it: analysed inventories kept and read, the vulnerability index loaded.
    const bucket = env[envNames.vulnDbBucket] as string;
    const s3 = new S3Client(stack.s3Config(role));
    const handle = createWorkerHandler({
      queue,
      ledger: new DynamoLedger(db, env[envNames.ledgerTable] as string, { leaseSeconds: Number(env[envNames.leaseSeconds]), retainSeconds: Number(env[envNames.retainSeconds]) }),
      engine,
      policyDigest: policyDigestOf(engine.bundleDigest, {}),
      collectors: providerCollectors({
        settings: { aws: { homeRegion: region, endpoints: Object.fromEntries(['sts', 'ec2', 'organizations', 'ecr', 'ecs', 'eks'].map((s) => [s, moto.endpoint])), imagesPerRepository: 1, maxAttempts: 1 } },
        deployment: scopesFromEnv(env, envNames.scopes),
        access: { aws: { credentials: role } },
        registryEndpoints: { [ecrHost]: registry.host },
        insecureHosts: [registry.host],
        now: () => new Date('2026-06-01T00:00:00Z'),
        inventory: new S3InventoryCache(s3, bucket),
        log: logs.log,
      }),
      vulnerabilities: new CloudVulnDb(s3, bucket, { dir: join(work, 'worker-vulndb'), log: logs.log }),
      recorder: new StateRecorder(new DynamoStateStore({ tableName: env[envNames.stateTable] as string, client: db }), () => ({ targets: publishTargets(config.publish) })),
      concurrency: 2,
      log: logs.log,
    });
    // Cold start: the key found secrets are hashed under (functions/runtime/wiring/worker.ts) is read with the role.
    await expect(new SecretsManagerClient(as(role)).send(new GetSecretValueCommand({ SecretId: env[envNames.redactionKeyArn] }))).resolves.toMatchObject({ ARN: env[envNames.redactionKeyArn] });
    const run = async (...jobs: Job[]) => {
      for (const job of jobs) await adminSqs().send(new SendMessageCommand({ QueueUrl: env[envNames.queueUrl], MessageBody: JSON.stringify(job) }));
      const messages = await take(env[envNames.queueUrl]);
      return handle(toSqsEvent(messages, queueArn()));
    };
    logs.clear();

    // Scope sweep: the account's registry, clusters and services, and one image job for the pushed image.
    expect(await run({ v: 1, type: 'scan-scope', cloud: 'aws', account, region, trigger: trigger('iam-scope-1') })).toEqual({ batchItemFailures: [] });
    const swept = logs.lines().find((l) => l.msg === 'scope recorded; image jobs queued');
    expect(swept).toMatchObject({ imageJobs: 1 });
    // The only errors allowed are APIs moto 5.2.5 does not implement (test/aws/support/moto-gaps.ts); a refusal is a missing grant.
    const errors = logs.lines().flatMap((l) => (l.msg === 'scope collected with errors' ? (l.errors as { source: string; message: string }[]) : []));
    expect(errors.filter((e) => !isMotoGap(e.source))).toEqual([]);
    expect(errors.filter((e) => /access denied|not authorized/i.test(e.message))).toEqual([]);
    expect(swept?.collectionErrors).toBe(errors.length);
    const imageJobs = (await take(env[envNames.queueUrl])).map((m) => parseJob(m.Body as string) as ScanImageJob);
    expect(imageJobs).toMatchObject([{ type: 'scan-image', image: { registry: ecrHost, repository: 'shop/api', digest } }]);

    // Image scan: ECR pull credentials under the worker's role, the image pulled and recorded.
    expect(await run(imageJobs[0] as Job)).toEqual({ batchItemFailures: [] });
    // Native scan refresh: DescribeImageScanFindings, then the image again with the registry's own findings.
    const nativeJob: Job = { v: 1, type: 'refresh-native-scan', cloud: 'aws', account, region, scanner: 'ecr-basic', repository: 'shop/api', digest, status: 'COMPLETE', severityCounts: {}, trigger: trigger('iam-scan-1') };
    expect(await run(nativeJob)).toEqual({ batchItemFailures: [] });
    const recorded = logs.lines().filter((l) => l.msg === 'scan recorded');
    expect(recorded).toHaveLength(2);
    for (const line of recorded) expect(line).toMatchObject({ assets: 1, errors: [] });
    // The image job kept its inventory (s3:PutObject on inventory/), the refresh read it back (s3:GetObject), and
    // the index was loaded: each of these only logs when refused, so the logs must not say so.
    expect(logs.lines().filter((l) => ['analysed inventory not kept', 'inventory cache unreadable'].includes(String(l.msg)))).toEqual([]);
    expect(logs.lines().some((l) => l.msg === 'vulnerability index loaded')).toBe(true);
    const kept = await new S3Client(stack.s3Config(stack.admin)).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'inventory/' }));
    expect(kept.Contents?.map((o) => o.Key)).toEqual([expect.stringContaining(digest.replace('sha256:', ''))]);
    expect(await take(env[envNames.deadLetterUrl])).toEqual([]);
    const admin = new DynamoStateStore({ tableName: env[envNames.stateTable] as string, clientConfig: as(stack.admin) });
    const intents = await admin.countIntents(['jira', 'servicenow', 'webhook', 'securityhub']);
    expect(intents.pending).toBeGreaterThan(4);
  });

  async function publisherWith(role: Credentials) {
    const env = stack.environment('Publisher');
    const store = new DynamoStateStore({ tableName: env[envNames.stateTable] as string, clientConfig: as(role) });
    const publishers = await publishersFromConfig(loadConfig(configFile), {}, {
      secretLoader: secretsManagerLoader(as(role)),
      securityHubClientConfig: as(role),
      now: () => clock.now(),
      timeoutMs: 10_000,
    });
    return createPublisherHandler({ store, publishers, log: logs.log, drain: { clock, backoff: { baseMs: 1_000, maxMs: 60_000 }, maxAttempts: 3, probeMs: 15_000 } });
  }

  it('publisher without the Security Hub statement: every Security Hub intent parks as AccessDenied; the other publishers deliver', async () => {
    const statements = stack.statements('Publisher');
    expect(statements.some((s) => [s.Action].flat().includes('securityhub:BatchImportFindings'))).toBe(true);
    const stripped = await stack.assumeFunctionRole('Publisher', without(statements, 'securityhub:BatchImportFindings'));
    logs.clear();
    const out = await (await publisherWith(stripped))({ kind: 'drain' });
    const store = new DynamoStateStore({ tableName: stack.environment('Publisher')[envNames.stateTable] as string, clientConfig: as(stack.admin) });
    const parked = await store.listIntents({ state: 'parked' });
    expect(parked.length).toBeGreaterThan(0);
    expect(new Set(parked.map((i) => i.target))).toEqual(new Set(['securityhub']));
    expect(parked.every((i) => /AccessDeniedException: .* is not authorized to perform: securityhub:BatchImportFindings/.test(i.lastError ?? ''))).toBe(true);
    expect(out.outbox).toEqual({ pending: 0, parked: parked.length });
    expect(jira.issues().length).toBe(parked.length);
    expect(servicenow.rows().length).toBe(parked.length);
    expect(webhookReceiver.events.length).toBe(parked.length);
  });

  it('publisher with its template role: the re-drive imports them into Security Hub', async () => {
    const role = await stack.assumeFunctionRole('Publisher');
    const out = await (await publisherWith(role))({ kind: 'redrive' });
    expect(out.outbox).toEqual({ pending: 0, parked: 0 });
    const imported = await new SecurityHubClient(as(stack.admin)).send(new GetFindingsCommand({}));
    expect(imported.Findings?.length).toBe(jira.issues().length);
    expect(new Set(imported.Findings?.map((f) => f.ProductArn))).toEqual(new Set([`arn:aws:securityhub:${region}:${account}:product/${account}/default`]));
  });
});
