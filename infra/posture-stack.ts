// One stack: triggers (EventBridge rules, Scheduler, webhook function URL) → scan queue (+ DLQ) → worker
// → finding state (DynamoDB) → publisher. Everything at rest is encrypted with one customer-managed key;
// roles get only what their function calls.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aws, CfnOutput, Duration, RemovalPolicy, Size, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as snsSubscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { envNames } from '../functions/runtime/env.ts';
import { metricsNamespace } from '../functions/runtime/metrics.ts';
import { loadConfig } from '../core/config.ts';
import { supplyChainFiles, supplyChainKmsRefs } from '../supply-chain/config.ts';
import { kmsIamStatements } from '../supply-chain/kms.ts';
import { parkedLogMessage } from '../publishers/drain.ts';
import { publisherIamStatements } from '../publishers/iam.ts';
import { googleExternalAccount } from '../functions/runtime/google-federation.ts';
import { memberRoleArnPattern } from '../providers/aws/organization.ts';
import type { IamStatement } from '../providers/provider.ts';
import { allProviders } from '../providers/registry.ts';
import type { PostureSettings } from './props.ts';
import { suppressWithReasons } from './nag-suppressions.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The worker's IAM statements: what every registered provider declares for the deployment's scopes. */
export function providerIamStatements(scopes: PostureSettings['scopes']): IamStatement[] {
  return allProviders().flatMap((p) => p.iam((scopes as Record<string, unknown>)[p.id]));
}

/** The central bus's fixed name, so member stacks can be deployed before or without this stack's outputs. */
export const organizationBusName = 'posture-organization-events';

/** The EventBridge events the providers declare (ECR pushes and scan results). */
export function eventBridgeSources() {
  return allProviders().flatMap((p) => p.events.flatMap((source) => (source.via === 'eventbridge' ? [source] : [])));
}

export interface PostureStackProps extends StackProps {
  settings: PostureSettings;
}

const workerTimeout = Duration.minutes(5);

export class PostureStack extends Stack {
  readonly scanQueue: sqs.Queue;
  readonly scanDeadLetterQueue: sqs.Queue;
  readonly stateTable: dynamodb.Table;
  readonly ledgerTable: dynamodb.Table;
  readonly key: kms.Key;
  /** The vulnerability index (vulndb/) and analysed image inventories (inventory/). */
  readonly dataBucket: s3.Bucket;
  readonly functions: Record<'ecrPush' | 'webhook' | 'schedule' | 'worker' | 'publisher' | 'vulnDbSync', NodejsFunction>;
  /** The bus member accounts forward to (organization deployments only). */
  organizationBus?: events.EventBus;

  constructor(scope: Construct, id: string, props: PostureStackProps) {
    super(scope, id, props);
    const settings = props.settings;

    this.key = new kms.Key(this, 'DataKey', {
      description: 'posture: findings, queues, secrets and logs',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts the function log groups with this key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:*` } },
      }),
    );

    // ---- state ------------------------------------------------------------------------------
    const tableDefaults = {
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    // Key names mirror core/state/dynamodb.ts stateTableDefinition.
    this.stateTable = new dynamodb.Table(this, 'FindingState', {
      ...tableDefaults,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    });
    this.stateTable.addGlobalSecondaryIndex({
      indexName: 'byAsset',
      partitionKey: { name: 'assetId', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    this.stateTable.addGlobalSecondaryIndex({
      indexName: 'outbox',
      partitionKey: { name: 'queue', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'nextAttemptAt', type: dynamodb.AttributeType.NUMBER },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.stateTable.addGlobalSecondaryIndex({
      indexName: 'byScope',
      partitionKey: { name: 'scope', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['asset'],
    });
    this.ledgerTable = new dynamodb.Table(this, 'JobLedger', {
      ...tableDefaults,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
    });

    // ---- data bucket: vulnerability index and analysed inventories -----------------------------
    this.dataBucket = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // Superseded indexes (content-addressed) go a week after; the manifest names the current one.
        { id: 'old-vulnerability-indexes', prefix: 'vulndb/index-', expiration: Duration.days(7) },
        // An inventory is re-made by the next analysis of its image; this retires those of older analyzers.
        { id: 'inventories', prefix: 'inventory/', expiration: Duration.days(settings.inventoryRetentionDays) },
        { id: 'incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });

    // ---- queues -----------------------------------------------------------------------------
    const queueDefaults = { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.key, enforceSSL: true };
    this.scanDeadLetterQueue = new sqs.Queue(this, 'ScanDeadLetters', { ...queueDefaults, retentionPeriod: Duration.days(14) });
    this.scanQueue = new sqs.Queue(this, 'ScanJobs', {
      ...queueDefaults,
      // Six times the worker timeout, as Lambda recommends for SQS sources.
      visibilityTimeout: Duration.seconds(workerTimeout.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.scanDeadLetterQueue, maxReceiveCount: settings.maxReceiveCount },
    });
    /** Events a trigger function could not take (async invoke failures, rule/schedule delivery failures). */
    const eventDeadLetters = new sqs.Queue(this, 'EventDeadLetters', { ...queueDefaults, retentionPeriod: Duration.days(14) });

    // ---- secrets ----------------------------------------------------------------------------
    const webhookSecret = new secretsmanager.Secret(this, 'WebhookSecrets', {
      description: 'posture webhook shared secrets: {"eventGrid":[…],"acr":[…]} (Event Grid ?code= value; ACR classic custom header value)',
      encryptionKey: this.key,
      generateSecretString: { secretStringTemplate: JSON.stringify({ acr: [] }), generateStringKey: 'eventGrid', excludePunctuation: true, passwordLength: 40 },
    });
    // The key under which found secrets are hashed (core/found-secrets.ts); 64 hex characters.
    const redactionKey = new secretsmanager.Secret(this, 'RedactionKey', {
      description: 'posture: HMAC key for found secrets, {"key": <64 hex>}; keep it stable, or every redacted value reads as changed',
      encryptionKey: this.key,
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'key', passwordLength: 64, excludePunctuation: true, excludeUppercase: true, excludeCharacters: 'ghijklmnopqrstuvwxyz' },
    });
    // Fixed names, so posture.yaml can reference them before the first deploy, by partial ARN:
    // publish.jira.apiToken: { secretArn: arn:aws:secretsmanager:<region>:<account>:secret:posture/ticketing/jira, key: apiToken }
    const ticketingSecret = (id: string, name: string, description: string) =>
      new secretsmanager.Secret(this, id, { secretName: `posture/ticketing/${name}`, description, encryptionKey: this.key });
    const ticketing = {
      jira: ticketingSecret('JiraCredentials', 'jira', 'posture → Jira Cloud API token: {"apiToken"}'),
      servicenow: ticketingSecret('ServiceNowCredentials', 'servicenow', 'posture → ServiceNow: {"password"} or {"clientSecret"}'),
      grcWebhook: ticketingSecret('GrcWebhookSigningKey', 'grc-webhook', 'posture → GRC webhook HMAC signing key: {"secret"}'),
    };

    // ---- functions --------------------------------------------------------------------------
    const queueEnv = { [envNames.queueUrl]: this.scanQueue.queueUrl, [envNames.deadLetterUrl]: this.scanDeadLetterQueue.queueUrl };
    const fn = (name: string, entry: string, extra: Partial<NodejsFunctionProps> = {}): NodejsFunction => {
      const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: this.key, removalPolicy: RemovalPolicy.RETAIN });
      const { bundling, environment, ...rest } = extra;
      return new NodejsFunction(this, name, {
        entry: path.join(repoRoot, 'functions', entry),
        handler: 'handler',
        // One runtime everywhere: the Lambdas, the CLI and the tests all run Node.js 22 (package.json engines).
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: 512,
        timeout: Duration.seconds(30),
        logGroup,
        tracing: lambda.Tracing.ACTIVE,
        environment: { NODE_OPTIONS: '--enable-source-maps', POSTURE_LOG_LEVEL: 'info', ...environment },
        bundling: bundlingFor(bundling),
        ...rest,
      });
    };
    const asyncTrigger = { deadLetterQueue: eventDeadLetters, retryAttempts: 2 };

    const ecrPush = fn('EcrPush', 'ecr-push.ts', { ...asyncTrigger, environment: queueEnv });
    const webhook = fn('Webhook', 'webhook.ts', {
      environment: {
        ...queueEnv,
        [envNames.webhookSecretArn]: webhookSecret.secretArn,
        [envNames.acrHeader]: settings.acrHeader.toLowerCase(),
        ...(settings.pubsub
          ? { [envNames.pubsubAudience]: settings.pubsub.audience, [envNames.pubsubServiceAccounts]: settings.pubsub.serviceAccounts.join(',') }
          : {}),
        // Its `registries` are the only hosts a push may name.
        ...(settings.configFile ? { [envNames.configFile]: '/var/task/posture.yaml' } : {}),
      },
      bundling: settings.configFile ? configBundling(settings.configFile) : undefined,
    });
    const organizationEnv: Record<string, string> = settings.organization ? { [envNames.organization]: JSON.stringify(settings.organization) } : {};
    const schedule = fn('Schedule', 'schedule.ts', {
      ...asyncTrigger,
      // Listing a large organization and queueing account × region jobs takes longer than a single send.
      timeout: Duration.minutes(2),
      environment: { ...queueEnv, [envNames.scopes]: JSON.stringify(settings.scopes), ...organizationEnv },
    });
    const worker = fn('Worker', 'worker.ts', {
      memorySize: 2048,
      timeout: workerTimeout,
      // The vulnerability index is downloaded to /tmp (functions/runtime/vulndb.ts); Lambda's default 512 MB
      // holds a few ecosystems' records, not all of OSV's.
      ephemeralStorageSize: Size.gibibytes(settings.workerStorageGiB),
      environment: {
        ...queueEnv,
        [envNames.stateTable]: this.stateTable.tableName,
        [envNames.ledgerTable]: this.ledgerTable.tableName,
        [envNames.concurrency]: String(settings.workerRecordConcurrency),
        // A claim outlives the worker's timeout, so a slow job is never taken twice.
        [envNames.leaseSeconds]: String(workerTimeout.toSeconds() + 60),
        [envNames.retainSeconds]: String(5 * 24 * 3600),
        [envNames.redactionKeyArn]: redactionKey.secretArn,
        // Scope jobs assume exactly the role the scopes name for their account.
        [envNames.scopes]: JSON.stringify(settings.scopes),
        [envNames.vulnDbBucket]: this.dataBucket.bucketName,
        ...organizationEnv,
        ...(settings.configFile ? { [envNames.configFile]: '/var/task/posture.yaml' } : {}),
        ...(settings.gcpFederation
          ? { [envNames.gcpExternalAccount]: JSON.stringify(googleExternalAccount(settings.gcpFederation.audience, settings.gcpFederation.serviceAccount)) }
          : {}),
      },
      bundling: workerBundling(settings.configFile),
    });
    const publisher = fn('Publisher', 'publisher.ts', {
      ...asyncTrigger,
      timeout: Duration.minutes(5),
      environment: {
        [envNames.stateTable]: this.stateTable.tableName,
        ...(settings.configFile ? { [envNames.configFile]: '/var/task/posture.yaml' } : {}),
      },
      bundling: settings.configFile ? configBundling(settings.configFile) : undefined,
    });
    // Fetches the OSV archives of the configured ecosystems and publishes the compact index workers load.
    const vulnDbSync = fn('VulnDbSync', 'vulndb-sync.ts', {
      ...asyncTrigger,
      memorySize: 3008,
      timeout: Duration.minutes(15),
      // The previous index, the downloaded archive and the new index side by side.
      ephemeralStorageSize: Size.gibibytes(settings.vulnDbSyncStorageGiB),
      environment: {
        [envNames.vulnDbBucket]: this.dataBucket.bucketName,
        ...(settings.configFile ? { [envNames.configFile]: '/var/task/posture.yaml' } : {}),
      },
      bundling: settings.configFile ? configBundling(settings.configFile) : undefined,
    });
    this.functions = { ecrPush, webhook, schedule, worker, publisher, vulnDbSync };

    // ---- permissions (each function: only what it calls) ------------------------------------
    for (const f of [ecrPush, webhook, schedule, worker]) this.scanQueue.grantSendMessages(f);
    for (const f of [ecrPush, worker]) this.scanDeadLetterQueue.grantSendMessages(f);
    webhookSecret.grantRead(webhook);
    redactionKey.grantRead(worker);
    this.stateTable.grantReadWriteData(worker);
    this.stateTable.grantReadWriteData(publisher);
    this.ledgerTable.grantReadWriteData(worker);
    // The data bucket, by prefix: the sync function reads and replaces the index; workers read it, and
    // keep and read analysed inventories. Explicit statements (no bucket-wide grant), checked by the IAM tests.
    const objects = (prefix: string) => this.dataBucket.arnForObjects(`${prefix}*`);
    vulnDbSync.addToRolePolicy(new iam.PolicyStatement({ sid: 'VulnIndexReadWrite', actions: ['s3:GetObject', 's3:PutObject'], resources: [objects('vulndb/')] }));
    worker.addToRolePolicy(new iam.PolicyStatement({ sid: 'VulnIndexRead', actions: ['s3:GetObject'], resources: [objects('vulndb/')] }));
    worker.addToRolePolicy(new iam.PolicyStatement({ sid: 'InventoryReadWrite', actions: ['s3:GetObject', 's3:PutObject'], resources: [objects('inventory/')] }));
    // Without ListBucket a missing key answers 403 instead of 404; both readers need to tell "none yet".
    for (const f of [vulnDbSync, worker]) {
      f.addToRolePolicy(new iam.PolicyStatement({ sid: 'DataBucketList', actions: ['s3:ListBucket'], resources: [this.dataBucket.bucketArn], conditions: { StringLike: { 's3:prefix': f === worker ? ['vulndb/*', 'inventory/*'] : ['vulndb/*'] } } }));
    }
    this.key.grantEncryptDecrypt(vulnDbSync);
    this.key.grantEncryptDecrypt(worker);
    for (const s of Object.values(ticketing)) s.grantRead(publisher);
    // Signature policies naming AWS KMS keys: the worker reads their public keys (GetPublicKey only).
    for (const statement of kmsIamStatements(supplyChainKmsRefs(loadConfig(settings.configFile).supplyChain))) {
      worker.addToRolePolicy(new iam.PolicyStatement({ sid: statement.sid, actions: statement.actions, resources: statement.resources }));
    }
    // Publishers that call AWS APIs (Security Hub) are granted from the posture.yaml the publisher ships with.
    for (const statement of publisherIamStatements(loadConfig(settings.configFile).publish)) {
      publisher.addToRolePolicy(new iam.PolicyStatement({ sid: statement.sid, actions: statement.actions, resources: statement.resources }));
    }
    // Each provider declares what its collectors call (providers/<id>/provider.ts).
    for (const statement of providerIamStatements(settings.scopes)) {
      worker.addToRolePolicy(new iam.PolicyStatement({ sid: statement.sid, actions: statement.actions, resources: statement.resources }));
    }

    if (settings.organization) {
      // ListAccounts has no resource to scope to; it only answers in the management or a delegated account.
      schedule.addToRolePolicy(new iam.PolicyStatement({ sid: 'ListOrganizationAccounts', actions: ['organizations:ListAccounts'], resources: ['*'] }));
      // Member accounts are found at run time: the worker may assume the member stack's role by name in any
      // account; each member role trusts this account only.
      worker.addToRolePolicy(new iam.PolicyStatement({ sid: 'AssumeMemberScanRole', actions: ['sts:AssumeRole'], resources: [memberRoleArnPattern(settings.organization, Aws.PARTITION)] }));
    }

    // ---- triggers ---------------------------------------------------------------------------
    const ruleTarget = new eventTargets.LambdaFunction(ecrPush, { deadLetterQueue: eventDeadLetters, retryAttempts: 8, maxEventAge: Duration.hours(6) });
    // EventBridge events each provider declares (ECR pushes and scan results) go to the ECR push function.
    for (const source of eventBridgeSources()) {
      new events.Rule(this, source.ruleId, {
        description: source.description,
        eventPattern: source.pattern({ repositoryPrefixes: settings.repositoryPrefixes }) as events.EventPattern,
        targets: [ruleTarget],
      });
    }
    // Member accounts forward the same events here (infra/member-stack.ts); only the organization may put.
    if (settings.organization) {
      this.organizationBus = new events.EventBus(this, 'OrganizationEvents', { eventBusName: organizationBusName, description: 'posture: ECR push and scan events forwarded by member accounts' });
      this.organizationBus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'OrganizationMembersOnly',
          principals: [new iam.OrganizationPrincipal(settings.organization.id)],
          actions: ['events:PutEvents'],
          resources: [this.organizationBus.eventBusArn],
        }),
      );
      for (const source of eventBridgeSources()) {
        new events.Rule(this, `Organization${source.ruleId}`, {
          description: `${source.description} (member accounts)`,
          eventBus: this.organizationBus,
          eventPattern: source.pattern({ repositoryPrefixes: settings.repositoryPrefixes }) as events.EventPattern,
          targets: [ruleTarget],
        });
      }
      new CfnOutput(this, 'OrganizationEventBusArn', { value: this.organizationBus.eventBusArn, description: 'member-account stacks forward ECR events here (posture member stack: centralBusArn)' });
    }

    new scheduler.Schedule(this, 'EstateSweep', {
      description: 'posture: sweep every configured account/region, subscription and project',
      schedule: scheduler.ScheduleExpression.expression(settings.sweepSchedule),
      target: new schedulerTargets.LambdaInvoke(schedule, {
        input: scheduler.ScheduleTargetInput.fromObject({
          kind: 'sweep',
          executionId: scheduler.ContextAttribute.executionId,
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        deadLetterQueue: eventDeadLetters,
        retryAttempts: 3,
      }),
    });
    new scheduler.Schedule(this, 'VulnDbSyncSchedule', {
      description: 'posture: refresh the vulnerability index from the OSV archives',
      schedule: scheduler.ScheduleExpression.expression(settings.vulnDbSyncSchedule),
      target: new schedulerTargets.LambdaInvoke(vulnDbSync, {
        input: scheduler.ScheduleTargetInput.fromObject({ kind: 'vulndb-sync', executionId: scheduler.ContextAttribute.executionId }),
        deadLetterQueue: eventDeadLetters,
        retryAttempts: 1,
      }),
    });
    new scheduler.Schedule(this, 'OutboxDrain', {
      description: 'posture: deliver pending findings to Jira / ServiceNow / GRC webhook',
      schedule: scheduler.ScheduleExpression.expression(settings.publishSchedule),
      target: new schedulerTargets.LambdaInvoke(publisher, { input: scheduler.ScheduleTargetInput.fromObject({ kind: 'drain' }), deadLetterQueue: eventDeadLetters, retryAttempts: 1 }),
    });

    worker.addEventSource(
      new SqsEventSource(this.scanQueue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        maxConcurrency: settings.workerMaxConcurrency,
      }),
    );

    // The webhook authenticates every request itself (shared secret / Google OIDC): the URL is public.
    const url = webhook.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    // ---- alarms -----------------------------------------------------------------------------
    const alarmTopic = new sns.Topic(this, 'Alarms', { masterKey: this.key, enforceSSL: true });
    if (settings.alarmEmail) alarmTopic.addSubscription(new snsSubscriptions.EmailSubscription(settings.alarmEmail));
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    const notify = new cwActions.SnsAction(alarmTopic);
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string) =>
      new cloudwatch.Alarm(this, id, {
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }).addAlarmAction(notify);
    alarm('ScanDeadLettersAlarm', this.scanDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }), 'Scan jobs were dead-lettered');
    alarm('EventDeadLettersAlarm', eventDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }), 'Trigger events could not be delivered');
    for (const [name, f] of Object.entries(this.functions)) {
      alarm(`${name}ErrorsAlarm`, f.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), `posture ${name} function errors`);
    }
    // The publisher logs one line with the parked count after every drain that leaves intents parked
    // (publishers/drain.ts parkedLogMessage); the filter turns it into a metric and the alarm pages.
    const parkedIntents = new logs.MetricFilter(this, 'ParkedIntentsFilter', {
      logGroup: publisher.logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.msg', '=', parkedLogMessage),
      metricNamespace: metricsNamespace,
      metricName: 'ParkedIntents',
      metricValue: '$.parked',
    });
    alarm(
      'ParkedIntentsAlarm',
      parkedIntents.metric({ period: Duration.minutes(5), statistic: 'Maximum' }),
      'Ticket deliveries are parked (a service refused them or was down past the last retry): fix the cause, then `posture publish --now --state dynamodb://<table>` or invoke the publisher with {"kind":"redrive"}',
    );

    new CfnOutput(this, 'WebhookUrl', { value: url.url, description: 'Event Grid: <url>azure/event-grid?code=<secret>; ACR: <url>azure/acr; Pub/Sub push: <url>gcp/pubsub' });
    new CfnOutput(this, 'WebhookSecretArn', { value: webhookSecret.secretArn });
    new CfnOutput(this, 'ScanQueueUrl', { value: this.scanQueue.queueUrl });
    new CfnOutput(this, 'DataBucketName', { value: this.dataBucket.bucketName, description: 'vulndb/manifest.json: the vulnerability index workers load' });

    suppressWithReasons(this, {
      dataBucket: this.dataBucket,
      stateTable: this.stateTable,
      functions: this.functions,
      deadLetterQueues: [this.scanDeadLetterQueue, eventDeadLetters],
      secrets: [webhookSecret, ...Object.values(ticketing)],
      keys: [redactionKey],
      ...(settings.organization ? { memberRolePattern: memberRoleArnPattern(settings.organization, '<AWS::Partition>') } : {}),
    });
  }
}

type Bundling = NonNullable<NodejsFunctionProps['bundling']>;

/** esbuild external patterns for the providers' lazily imported modules (`providers/<id>/collector.ts`, `pull.ts`, `native-scan.ts`). */
const lazyProviderParts = { scopeCollectors: ['*/collector.ts'], pullCredentials: ['*/pull.ts'], nativeScans: ['*/native-scan.ts'] };

/** The worker's separately bundled Artifact Analysis reader, as imported beside index.mjs. */
const googleNativeScan = './native-scan-gcp.mjs';

/** Some dependencies still call require(); give the ESM output a real one. */
const requireShim = "import { createRequire as __posture_createRequire } from 'node:module'; const require = __posture_createRequire(import.meta.url);";

function bundlingFor(extra: Bundling | undefined): Bundling {
  return {
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    target: 'node22',
    format: OutputFormat.ESM,
    mainFields: ['module', 'main'],
    banner: requireShim,
    // Bundle the AWS SDK too: a pinned, tested version rather than whatever the runtime ships. The providers'
    // lazily loaded parts stay out (providers/provider.ts): scope collectors live in the worker's second
    // bundle, pull credentials only in the worker's image path.
    externalModules: [...lazyProviderParts.scopeCollectors, ...lazyProviderParts.pullCredentials, ...lazyProviderParts.nativeScans],
    // Never Docker: esbuild is a dev dependency, so synth works offline and without a daemon.
    forceDockerBundling: false,
    ...extra,
  };
}

/**
 * The worker carries the policy bundle (Wasm + data + catalog) and the region table beside its code.
 * policies/layout.ts finds them relative to its own `import.meta.url` (repo root = one level up); in a
 * one-file bundle that would be the bundle itself, so every `import.meta.url` in the source is replaced
 * by the URL of a virtual `policies/layout.js` next to the bundle. The bundle then finds
 * ./policies/dist and ./policies/data wherever it is unpacked (/var/task in Lambda, a folder in tests).
 */
function workerBundling(configFile: string | undefined): Bundling {
  const banner = `${requireShim} const __posture_layout_url = new URL('./policies/layout.js', import.meta.url).href;`;
  // Scope collectors (and the cloud SDKs only they use) are a second bundle, loaded when a scope job
  // arrives (functions/runtime/scope-loader.ts), so image jobs start without them.
  const scopeBundle = [
    `"${path.join(repoRoot, 'node_modules/.bin/esbuild')}"`,
    `"${path.join(repoRoot, 'functions/runtime/scope-sweeps.ts')}"`,
    '--bundle --minify --sourcemap --sources-content=false --platform=node --format=esm --target=node22 --main-fields=module,main --log-level=error',
    `"--banner:js=${banner}"`,
    '--define:import.meta.url=__posture_layout_url',
  ];
  // The Artifact Analysis reader (Grafeas client, google-gax, gRPC, protos) is a bundle of its own, loaded by the
  // first Google-registry image (providers/gcp/provider.ts), so other image jobs start without it.
  const googleNativeScanBundle = [...scopeBundle.slice(0, 1), `"${path.join(repoRoot, 'providers/gcp/native-scan.ts')}"`, ...scopeBundle.slice(2)];
  return {
    banner,
    // The image path pulls: its pull credentials and registry-scanner readers are bundled; the scope collectors are in scopes.mjs.
    externalModules: [...lazyProviderParts.scopeCollectors, googleNativeScan],
    define: { 'import.meta.url': '__posture_layout_url', __POSTURE_SCOPE_MODULE__: JSON.stringify('./scopes.mjs'), __POSTURE_GCP_NATIVE_SCAN__: JSON.stringify(googleNativeScan) },
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) => [
        `test -f "${inputDir}/policies/dist/policy.wasm" || { echo "policies/dist is missing: run npm run build:policies" >&2; exit 1; }`,
        `mkdir -p "${outputDir}/policies/dist" "${outputDir}/policies/data"`,
        `cp "${inputDir}/policies/dist/policy.wasm" "${inputDir}/policies/dist/data.json" "${inputDir}/policies/dist/catalog.json" "${inputDir}/policies/dist/manifest.json" "${outputDir}/policies/dist/"`,
        `cp "${inputDir}/policies/data/regions.json" "${outputDir}/policies/data/"`,
        [...scopeBundle, `"--outfile=${outputDir}/scopes.mjs"`].join(' '),
        [...googleNativeScanBundle, `"--outfile=${outputDir}/native-scan-gcp.mjs"`].join(' '),
        ...(configFile ? [`cp "${path.resolve(configFile)}" "${outputDir}/posture.yaml"`] : []),
        ...supplyChainFileCopies(configFile, outputDir),
      ],
    },
  };
}

/**
 * The key files posture.yaml's signature policies name, copied into the worker's bundle at the same relative
 * path: Lambda runs in the bundle's directory, so the worker reads them as `posture scan` does beside the
 * config. A path that cannot be reproduced inside the bundle (absolute, or above the working directory) is
 * refused at synthesis, so a deployment never ships a policy whose keys its worker cannot read.
 */
export function supplyChainFileCopies(configFile: string | undefined, outputDir: string): string[] {
  if (!configFile) return [];
  return supplyChainFiles(loadConfig(configFile).supplyChain).map((file) => {
    const relative = path.normalize(file);
    if (path.isAbsolute(relative) || relative.startsWith('..')) {
      throw new Error(`${configFile}: supplyChain file ${file} cannot ship with the worker: give a path relative to where cdk runs (inside it), or the key inline (pem)`);
    }
    return `mkdir -p "${path.join(outputDir, path.dirname(relative))}" && cp "${path.resolve(relative)}" "${path.join(outputDir, relative)}"`;
  });
}

/** posture.yaml (config, exceptions, modes, publishers) ships inside the bundle, versioned with the code. */
function configBundling(configFile: string): Bundling {
  return {
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) => [`cp "${path.resolve(configFile)}" "${outputDir}/posture.yaml"`],
    },
  };
}
