// The deployment, asserted on the synthesized template (no snapshots): the resources that decide whether
// pushes reach the worker, whether failures are kept, what is encrypted, and who may do what.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { pathToFileURL } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto } from '../standins/moto.ts';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { createQueues, drain } from '../functions/support/sqs.ts';
import { parsePostureSettings } from '../../infra/props.ts';
import { DynamoStateStore, stateTableDefinition } from '../../core/state/dynamodb.ts';
import { parkedLogMessage } from '../../publishers/drain.ts';
import { synthesize, synthesizeBundled, type BundledTemplate, type Synthesized } from './synth.ts';

const roleArn = 'arn:aws:iam::222222222222:role/PostureAudit';
let outdir: string;
let s: Synthesized;
let t: Template;

let bundled: BundledTemplate;

beforeAll(async () => {
  outdir = mkdtempSync(path.join(tmpdir(), 'posture-cdk-'));
  const settings = {
    scopes: { aws: [{ account: '111111111111', regions: ['eu-west-1'] }, { account: '222222222222', roleArn, regions: ['eu-west-1', 'eu-central-1'] }], gcp: [{ project: 'shop-prod-123' }] },
    pubsub: { audience: 'posture-pubsub', serviceAccounts: ['gcr-push@shop-prod-123.iam.gserviceaccount.com'] },
    maxReceiveCount: 4,
  };
  // The template assertions need no bundles; the bundle tests read the ones a child process built.
  s = synthesize(settings, { bundle: false });
  t = s.template;
  bundled = await synthesizeBundled(settings, outdir);
}, 600_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const ref = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const logicalId = (construct: { node: { defaultChild?: unknown } }) => s.stack.getLogicalId(construct.node.defaultChild as never);

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
function statementsOf(roleLogicalIdPrefix: string): Statement[] {
  const policies = t.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.startsWith(roleLogicalIdPrefix)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const actionsOf = (st: Statement) => (Array.isArray(st.Action) ? st.Action : [st.Action]);

describe('triggers', () => {
  it('routes successful ECR pushes with exactly the wire-formats §1.1 pattern to the ECR function', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ecr'], 'detail-type': ['ECR Image Action'], detail: { 'action-type': ['PUSH'], result: ['SUCCESS'] } },
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: ref(logicalId(s.stack.functions.ecrPush)), DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
  });

  it('routes ECR basic and Inspector enhanced scan completions to the same function', () => {
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.ecr'], 'detail-type': ['ECR Image Scan'] } });
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.inspector2'], 'detail-type': ['Inspector2 Scan'] } });
  });

  it('sweeps on an EventBridge Scheduler schedule that passes the execution id and time', () => {
    const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule'));
    const sweep = schedules.find((r) => String(r.Properties.Target.Input).includes('sweep'));
    expect(sweep?.Properties.ScheduleExpression).toBe('rate(1 day)');
    expect(JSON.parse(sweep?.Properties.Target.Input as string)).toEqual({ kind: 'sweep', executionId: '<aws.scheduler.execution-id>', scheduledTime: '<aws.scheduler.scheduled-time>' });
    expect(sweep?.Properties.Target.DeadLetterConfig).toBeDefined();
  });

  it('exposes the webhook as a function URL (it authenticates requests itself) with Pub/Sub settings in its environment', () => {
    t.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', TargetFunctionArn: ref(logicalId(s.stack.functions.webhook)) });
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POSTURE_PUBSUB_AUDIENCE: 'posture-pubsub', POSTURE_PUBSUB_SERVICE_ACCOUNTS: 'gcr-push@shop-prod-123.iam.gserviceaccount.com' }) },
    });
  });

  it('hands the configured scopes to the schedule function, and to the worker (which role to assume per account)', () => {
    for (const name of ['schedule', 'worker'] as const) {
      const fn = t.findResources('AWS::Lambda::Function')[logicalId(s.stack.functions[name])];
      const scopes = JSON.parse(fn?.Properties.Environment.Variables.POSTURE_SCOPES as string);
      expect(scopes.aws).toHaveLength(2);
      expect(scopes.aws[1].roleArn).toBe(roleArn);
      expect(scopes.gcp).toEqual([{ project: 'shop-prod-123' }]);
    }
  });
});

describe('queue and worker', () => {
  it('redrives scan jobs to a dead-letter queue after the configured receive count; both are KMS-encrypted', () => {
    const queueId = logicalId(s.stack.scanQueue);
    const dlqId = logicalId(s.stack.scanDeadLetterQueue);
    const keyRef = ref(logicalId(s.stack.key));
    const queues = t.findResources('AWS::SQS::Queue');
    expect(queues[queueId]?.Properties).toMatchObject({ RedrivePolicy: { deadLetterTargetArn: ref(dlqId), maxReceiveCount: 4 }, KmsMasterKeyId: keyRef, VisibilityTimeout: 1800 });
    expect(queues[dlqId]?.Properties).toMatchObject({ KmsMasterKeyId: keyRef, MessageRetentionPeriod: 14 * 24 * 3600 });
    // Every queue refuses non-TLS access.
    for (const policy of Object.values(t.findResources('AWS::SQS::QueuePolicy'))) {
      expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('feeds the worker from the queue with partial batch failure reporting', () => {
    t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: ref(logicalId(s.stack.scanQueue)),
      FunctionName: { Ref: logicalId(s.stack.functions.worker) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it('runs every function on Node.js 22 (the runtime the tests run on) with tracing, and alarms on dead letters and errors', () => {
    const fns = Object.values(t.findResources('AWS::Lambda::Function'));
    expect(fns).toHaveLength(6);
    for (const f of fns) expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', TracingConfig: { Mode: 'Active' } });
    const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.filter((a) => a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(2);
    expect(alarms.filter((a) => a.Properties.MetricName === 'Errors')).toHaveLength(6);
    for (const a of alarms) expect(a.Properties.AlarmActions).toHaveLength(1);
  });

  it('pages on parked intents: a metric filter on the publisher\'s logs counts the drain\'s parked line, an alarm fires above zero', () => {
    const fn = t.findResources('AWS::Lambda::Function')[logicalId(s.stack.functions.publisher)];
    const publisherLogGroup = (fn?.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup;
    const filters = Object.values(t.findResources('AWS::Logs::MetricFilter'));
    expect(filters).toHaveLength(1);
    // CloudWatch Logs JSON filter syntax: the pino line's msg field, and its numeric parked count as the value.
    expect(filters[0]?.Properties).toEqual({
      LogGroupName: publisherLogGroup,
      FilterPattern: `{ $.msg = "${parkedLogMessage}" }`,
      MetricTransformations: [{ MetricNamespace: 'posture', MetricName: 'ParkedIntents', MetricValue: '$.parked' }],
    });
    const parked = Object.values(t.findResources('AWS::CloudWatch::Alarm')).filter((a) => a.Properties.MetricName === 'ParkedIntents');
    expect(parked).toHaveLength(1);
    expect(parked[0]?.Properties).toMatchObject({ Namespace: 'posture', Statistic: 'Maximum', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1 });
    expect(parked[0]?.Properties.AlarmActions).toHaveLength(1);
  });
});

describe('vulnerability index', () => {
  it('keeps it in a bucket encrypted with the stack key, private, TLS only, old indexes and inventories expiring', () => {
    const b = t.findResources('AWS::S3::Bucket')[logicalId(s.stack.dataBucket)];
    expect(b?.Properties).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: ref(logicalId(s.stack.key)) } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    const rules = b?.Properties.LifecycleConfiguration.Rules as { Id: string; Prefix?: string; ExpirationInDays?: number }[];
    expect(rules.find((r) => r.Id === 'old-vulnerability-indexes')).toMatchObject({ Prefix: 'vulndb/index-', ExpirationInDays: 7 });
    expect(rules.find((r) => r.Id === 'inventories')).toMatchObject({ Prefix: 'inventory/', ExpirationInDays: 30 });
    const policy = Object.values(t.findResources('AWS::S3::BucketPolicy'))[0];
    expect(JSON.stringify(policy?.Properties.PolicyDocument)).toContain('aws:SecureTransport');
  });

  it('syncs on its own schedule and hands both functions the bucket', () => {
    const schedules = Object.values(t.findResources('AWS::Scheduler::Schedule'));
    const sync = schedules.find((x) => JSON.stringify(x.Properties.Target.Input ?? '').includes('vulndb-sync'));
    expect(sync?.Properties).toMatchObject({ ScheduleExpression: 'rate(6 hours)', Target: { Arn: ref(logicalId(s.stack.functions.vulnDbSync)) } });
    const fns = t.findResources('AWS::Lambda::Function');
    for (const f of [s.stack.functions.worker, s.stack.functions.vulnDbSync]) {
      expect(fns[logicalId(f)]?.Properties.Environment.Variables.POSTURE_DATA_BUCKET).toEqual({ Ref: logicalId(s.stack.dataBucket) });
    }
    expect(fns[logicalId(s.stack.functions.vulnDbSync)]?.Properties).toMatchObject({ Timeout: 900, EphemeralStorage: { Size: 8192 } });
    // The worker keeps the downloaded index in /tmp: more than Lambda's default 512 MB.
    expect(fns[logicalId(s.stack.functions.worker)]?.Properties).toMatchObject({ EphemeralStorage: { Size: 4096 } });
  });
});

describe('state and secrets', () => {
  it('keeps findings and the ledger in DynamoDB with PITR and the customer-managed key', () => {
    const tables = t.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toHaveLength(2);
    for (const table of Object.values(tables)) {
      expect(table.Properties).toMatchObject({
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: ref(logicalId(s.stack.key)) },
        DeletionProtectionEnabled: true,
      });
      expect(table.DeletionPolicy).toBe('Retain');
    }
    const state = tables[logicalId(s.stack.stateTable)];
    // The deployed table must have every index the store queries (core/state/dynamodb.ts), with the same keys.
    const indexes = (gsis: { IndexName?: string; KeySchema?: unknown; Projection?: unknown }[]) =>
      gsis.map((i) => ({ name: i.IndexName, keys: i.KeySchema, projection: i.Projection })).sort((a, b) => String(a.name).localeCompare(String(b.name)));
    expect(indexes(state?.Properties.GlobalSecondaryIndexes)).toEqual(indexes(stateTableDefinition('x').GlobalSecondaryIndexes ?? []));
    expect(tables[logicalId(s.stack.ledgerTable)]?.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('creates the webhook and ticketing secrets and the redaction key, encrypted with the stack key', () => {
    const secrets = Object.values(t.findResources('AWS::SecretsManager::Secret'));
    expect(secrets.map((x) => x.Properties.Name).filter(Boolean).sort()).toEqual(['posture/ticketing/grc-webhook', 'posture/ticketing/jira', 'posture/ticketing/servicenow']);
    expect(secrets).toHaveLength(5);
    for (const x of secrets) expect(x.Properties.KmsKeyId).toEqual(ref(logicalId(s.stack.key)));
    // The key found secrets are hashed under: 64 characters drawn from 0-9a-f only, readable by the worker alone.
    const key = secrets.find((x) => String(x.Properties.Description).includes('HMAC key for found secrets'));
    expect(key?.Properties.GenerateSecretString).toMatchObject({ GenerateStringKey: 'key', PasswordLength: 64, ExcludePunctuation: true, ExcludeUppercase: true, ExcludeCharacters: 'ghijklmnopqrstuvwxyz' });
  });
});

describe('least privilege', () => {
  const roleOf = (fn: keyof Synthesized['stack']['functions']) => s.stack.getLogicalId(s.stack.functions[fn].role?.node.defaultChild as never);
  const bucket = () => logicalId(s.stack.dataBucket);
  const objects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket(), 'Arn'] }, `/${prefix}*`]] });
  const s3Statements = (fn: keyof Synthesized['stack']['functions']) =>
    statementsOf(roleOf(fn))
      .filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')))
      .map((st) => ({ actions: actionsOf(st).sort(), resource: st.Resource }));

  it('lets the sync function read and replace only the vulnerability index, and the worker read it', () => {
    const list = (prefixes: string[]) => ({ actions: ['s3:ListBucket'], resource: { 'Fn::GetAtt': [bucket(), 'Arn'] }, prefixes });
    const withPrefixes = (fn: keyof Synthesized['stack']['functions']) =>
      statementsOf(roleOf(fn))
        .filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')))
        .map((st) => ({ actions: actionsOf(st).sort(), resource: st.Resource, ...((st as { Condition?: { StringLike: { 's3:prefix': string[] } } }).Condition ? { prefixes: (st as unknown as { Condition: { StringLike: { 's3:prefix': string[] } } }).Condition.StringLike['s3:prefix'] } : {}) }));
    expect(withPrefixes('vulnDbSync')).toEqual([{ actions: ['s3:GetObject', 's3:PutObject'], resource: objects('vulndb/') }, list(['vulndb/*'])]);
    expect(withPrefixes('worker')).toEqual([
      { actions: ['s3:GetObject'], resource: objects('vulndb/') },
      { actions: ['s3:GetObject', 's3:PutObject'], resource: objects('inventory/') },
      list(['vulndb/*', 'inventory/*']),
    ]);
    for (const fn of ['ecrPush', 'webhook', 'schedule', 'publisher'] as const) expect(s3Statements(fn)).toEqual([]);
    // The sync function touches nothing else of the stack: no table, no queue, no secret, no role.
    const syncActions = statementsOf(roleOf('vulnDbSync')).flatMap(actionsOf);
    expect(syncActions.filter((a) => /^(dynamodb|sqs|secretsmanager|sts):/.test(a) && a !== 'sqs:SendMessage')).toEqual([]);
  });

  it('lets only the worker assume roles, and only the configured ones', () => {
    for (const fn of ['ecrPush', 'webhook', 'schedule', 'publisher'] as const) {
      expect(statementsOf(roleOf(fn)).flatMap(actionsOf)).not.toContain('sts:AssumeRole');
    }
    const assume = statementsOf(roleOf('worker')).filter((st) => actionsOf(st).includes('sts:AssumeRole'));
    expect(assume).toEqual([expect.objectContaining({ Effect: 'Allow', Resource: roleArn })]);
  });

  it('gives trigger functions no table access and the webhook only its own secret', () => {
    for (const fn of ['ecrPush', 'webhook', 'schedule'] as const) {
      expect(statementsOf(roleOf(fn)).flatMap(actionsOf).some((a) => a.startsWith('dynamodb:'))).toBe(false);
    }
    const secretReads = statementsOf(roleOf('webhook')).filter((st) => actionsOf(st).includes('secretsmanager:GetSecretValue'));
    expect(secretReads).toHaveLength(1);
    expect(JSON.stringify(secretReads[0]?.Resource)).toContain('WebhookSecrets');
  });

  it('has no sts:AssumeRole at all when no cross-account role is configured', () => {
    const bare = synthesize({ scopes: { aws: [{ account: '111111111111', regions: ['eu-west-1'] }] } }, { bundle: false });
    const all = Object.values(bare.template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
    expect(all.flatMap(actionsOf)).not.toContain('sts:AssumeRole');
  });
});

describe('cross-cloud federation (no stored keys)', () => {
  const audience = '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/aws/providers/posture';
  const federated = () =>
    synthesize(
      {
        scopes: { azure: [{ subscription: '00000000-1111-2222-3333-444444444444' }], gcp: [{ project: 'shop-prod-123' }] },
        gcpFederation: { audience, serviceAccount: 'posture@shop-prod-123.iam.gserviceaccount.com' },
      },
      { bundle: false },
    );

  it('hands the worker a Google external_account config (AWS provider) and lets it mint tokens for Entra', () => {
    const f = federated();
    const worker = f.stack.getLogicalId(f.stack.functions.worker.node.defaultChild as never);
    const env = f.template.findResources('AWS::Lambda::Function')[worker]?.Properties.Environment.Variables as Record<string, string>;
    const external = JSON.parse(env.POSTURE_GCP_EXTERNAL_ACCOUNT ?? '{}') as Record<string, unknown>;
    expect(external).toMatchObject({
      type: 'external_account',
      audience,
      subject_token_type: 'urn:ietf:params:aws:token-type:aws4_request',
      credential_source: { environment_id: 'aws1' },
    });
    expect(JSON.stringify(external)).not.toMatch(/private_key|client_secret/);
    const role = f.stack.getLogicalId(f.stack.functions.worker.role?.node.defaultChild as never);
    const policies = Object.values(f.template.findResources('AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.startsWith(role)),
    );
    const actions = policies.flatMap((p) => (p.Properties.PolicyDocument.Statement as Statement[]).flatMap(actionsOf));
    expect(actions).toContain('sts:GetWebIdentityToken');
    expect(f.nag).toEqual([]);
  });

  it('grants no token minting when no Azure subscription is swept', () => {
    expect(statementsOf(s.stack.getLogicalId(s.stack.functions.worker.role?.node.defaultChild as never)).flatMap(actionsOf)).not.toContain('sts:GetWebIdentityToken');
  });
});

describe('bundles', () => {
  it('ships the worker minified with source maps and the policy bundle beside it, under 3.75 MB', () => {
    const fn = bundled.Resources[logicalId(s.stack.functions.worker)];
    const asset = String(fn?.Properties.Code?.S3Key).replace(/\.zip$/, '');
    const dir = path.join(outdir, `asset.${asset}`);
    for (const f of ['index.mjs', 'index.mjs.map', 'scopes.mjs', 'scopes.mjs.map', 'native-scan-gcp.mjs', 'native-scan-gcp.mjs.map', 'policies/dist/policy.wasm', 'policies/dist/catalog.json', 'policies/dist/manifest.json', 'policies/data/regions.json']) {
      expect(existsSync(path.join(dir, f)), f).toBe(true);
    }
    const code = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    // 3.5 MB since the worker matches vulnerabilities itself (CVSS calculator, version comparators, the S3 client
    // for the index): about 350 KB more than the 3 MB it stayed under before. 3.75 MB since registry images'
    // notation signatures are verified in the image path: the X.509 certificate checks bring @peculiar/x509
    // and its ASN.1 schemas (asn1js, @peculiar/asn1-x509, asn1-schema, tsyringe), about 170 KB (3,689,398
    // bytes measured with them).
    expect(statSync(path.join(dir, 'index.mjs')).size).toBeLessThan(3.75 * 1024 * 1024);
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000); // minified: long lines
    expect(code).toContain('sourceMappingURL=index.mjs.map');
    // The cloud collectors' SDKs live in the lazily loaded scope bundle, not in the image path's.
    expect(code).not.toContain('google.container.v1');
    expect(readFileSync(path.join(dir, 'scopes.mjs'), 'utf8')).toContain('google.container.v1');
    // So does the Artifact Analysis reader (the Grafeas client and its protos): loaded by Google-registry images only.
    expect(code).not.toContain('grafeas.v1');
    expect(code).toContain('./native-scan-gcp.mjs');
    expect(readFileSync(path.join(dir, 'native-scan-gcp.mjs'), 'utf8')).toContain('grafeas.v1');
  });

  it('runs as shipped: the bundled worker loads its policy bundle and parks a job it cannot serve', async () => {
    const fn = bundled.Resources[logicalId(s.stack.functions.worker)];
    const dir = path.join(outdir, `asset.${String(fn?.Properties.Code?.S3Key).replace(/\.zip$/, '')}`);
    const moto = await startMoto({ region: 'eu-west-1' });
    try {
      const queues = await createQueues(moto, 'bundle-smoke');
      const db = new DynamoDBClient(moto.clientConfig);
      await db.send(new CreateTableCommand({ TableName: 'ledger', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
      // A completed scope resolves the assets it no longer has, so even an empty account's scope job reads state.
      await new DynamoStateStore({ tableName: 'state', client: db }).ensureTable();
      // The bundle runs in a Node.js process of its own, as Lambda runs it (not through the test runner's
      // module loader, which would transform the 9 MB scope bundle first).
      const env = {
        PATH: process.env.PATH ?? '',
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_REGION: 'eu-west-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        POSTURE_QUEUE_URL: queues.queueUrl,
        POSTURE_DLQ_URL: queues.dlqUrl,
        POSTURE_LEDGER_TABLE: 'ledger',
        POSTURE_STATE_TABLE: 'state',
        POSTURE_LOG_LEVEL: 'silent',
      };
      const runner = "const m = await import(process.argv[1]); process.stdout.write(JSON.stringify(await m.handler(JSON.parse(process.argv[2]))));";
      const mod = {
        handler: async (event: unknown) => {
          const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', runner, pathToFileURL(path.join(dir, 'index.mjs')).href, JSON.stringify(event)], { env, timeout: 170_000 });
          // Lambda's stdout is its log: the EMF metrics line (Powertools) comes first, the handler's answer last.
          return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as { batchItemFailures: unknown[] };
        },
      };
      const job = {
        v: 1,
        type: 'scan-asset',
        cloud: 'azure',
        account: '6a1f0c2e-4b7d-4e59-9c3a-2d8e5f7b1a90',
        region: '',
        asset: { kind: 'cluster', id: 'azure://6a1f0c2e-4b7d-4e59-9c3a-2d8e5f7b1a90/westeurope/aks/rg/aks', locator: {} },
        trigger: { source: 'schedule', eventId: 'smoke', at: '2026-01-01T00:00:00Z' },
      };
      const event = { Records: [{ messageId: 'm-1', receiptHandle: 'r', body: JSON.stringify(job), attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: queues.queueArn, awsRegion: 'eu-west-1' }] };
      expect(await mod.handler(event)).toEqual({ batchItemFailures: [] });
      const [parked] = await drain(queues.sqs, queues.dlqUrl);
      expect(parked?.MessageAttributes?.rejectedBecause?.StringValue).toMatch(/no azure collector for scan-asset jobs/);
      // Consume it: the scope sweep below can outlast the DLQ's visibility timeout, which would show it again.
      await queues.sqs.send(new DeleteMessageCommand({ QueueUrl: queues.dlqUrl, ReceiptHandle: parked?.ReceiptHandle }));
      // An AWS scope job loads the separately bundled scope collectors and sweeps moto's account (one
      // repository: a scope that reads nothing but moto's missing pull-through cache API counts as unreadable).
      await new ECRClient(moto.clientConfig).send(new CreateRepositoryCommand({ repositoryName: 'smoke' }));
      const scope = { v: 1, type: 'scan-scope', cloud: 'aws', account: '123456789012', region: 'eu-west-1', trigger: { source: 'schedule', eventId: 'smoke-scope', at: '2026-01-01T00:00:00Z' } };
      expect(await mod.handler({ Records: [{ ...event.Records[0], messageId: 'm-2', body: JSON.stringify(scope) }] })).toEqual({ batchItemFailures: [] });
      expect(await drain(queues.sqs, queues.dlqUrl)).toEqual([]);
    } finally {
      await moto.stop();
    }
    // Loading the 9 MB scope bundle cold takes 20 s and more on a loaded machine; the test is about behaviour, not time.
  }, 180_000);
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged under AWS Solutions and NIST 800-53 rev 5', () => {
    expect(s.nag).toEqual([]);
  });

  it('would report a resource that breaks the rules (the check is live)', () => {
    const bare = synthesize({}, { bundle: false });
    new sqs.Queue(bare.stack, 'Careless', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    const report = new AwsSolutionsChecks(bare.app).validateScope(bare.stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'AwsSolutions-SQS4']));
  });
});

describe('settings', () => {
  it('names the setting that is wrong', () => {
    expect(() => parsePostureSettings({ sweepSchedule: 'daily' })).toThrow(/sweepSchedule: expected rate\(\.\.\.\) or cron\(\.\.\.\)/);
    expect(() => parsePostureSettings({ scopes: { aws: [{ account: '1', regions: ['eu-west-1'] }] } })).toThrow(/scopes\.aws\.0\.account/);
    expect(() => parsePostureSettings({ pubsub: { audience: 'x', serviceAccounts: [] } })).toThrow(/pubsub\.serviceAccounts/);
    expect(() => parsePostureSettings({ surprise: true })).toThrow(/Unrecognized key/);
  });
});
