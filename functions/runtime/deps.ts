// Builds each handler's dependencies from the Lambda environment (set by infra/posture-stack.ts).
// Tests build the same dependencies themselves, with real SDK clients pointed at moto.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from 'pino';
import { z } from 'zod';
import { policyDigestOf } from '../../core/jobs.ts';
import { ExceptionSet } from '../../core/exceptions.ts';
import { log as rootLog } from '../../core/log.ts';
import { DynamoStateStore } from '../../core/state/dynamodb.ts';
import { Engine } from '../../policies/engine.ts';
import { pubSubVerifier } from '../auth/google-oidc.ts';
import type { EcrPushDeps } from '../ecr-push.ts';
import type { ScheduleDeps } from '../schedule.ts';
import type { WebhookDeps } from '../webhook.ts';
import { defaultMaxBodyBytes } from '../webhook.ts';
import type { WorkerDeps } from '../worker.ts';
import { DynamoLedger } from './ledger.ts';
import { providerCollectors } from './provider-collectors.ts';
import { SqsJobQueue } from './queue.ts';
import { StateRecorder } from './recorder.ts';
import { parseScopes } from './scopes.ts';
import { CachedSecret, WebhookSecrets } from './secrets.ts';
import { loadSettings } from './settings.ts';

/** Environment variable names, shared with the CDK stack so the two cannot drift. */
export const envNames = {
  queueUrl: 'POSTURE_QUEUE_URL',
  deadLetterUrl: 'POSTURE_DLQ_URL',
  ledgerTable: 'POSTURE_LEDGER_TABLE',
  stateTable: 'POSTURE_STATE_TABLE',
  webhookSecretArn: 'POSTURE_WEBHOOK_SECRET_ARN',
  acrHeader: 'POSTURE_ACR_HEADER',
  pubsubAudience: 'POSTURE_PUBSUB_AUDIENCE',
  pubsubServiceAccounts: 'POSTURE_PUBSUB_SERVICE_ACCOUNTS',
  scopes: 'POSTURE_SCOPES',
  settingsFile: 'POSTURE_SETTINGS_FILE',
  concurrency: 'POSTURE_WORKER_CONCURRENCY',
  leaseSeconds: 'POSTURE_LEDGER_LEASE_SECONDS',
  retainSeconds: 'POSTURE_LEDGER_RETAIN_SECONDS',
} as const;

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the CDK stack sets it)`);
  return value;
}

const PositiveInt = z.coerce.number().int().positive();

function intFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = PositiveInt.safeParse(raw);
  if (!parsed.success) throw new Error(`environment variable ${name}="${raw}" is not a positive integer`);
  return parsed.data;
}

function logger(fn: string): Logger {
  return rootLog.child({ fn });
}

const queueFrom = (env: Env, sqs = new SQSClient({})) => new SqsJobQueue(sqs, required(env, envNames.queueUrl), env[envNames.deadLetterUrl]);

export function ecrPushDepsFromEnv(env: Env): EcrPushDeps {
  return { queue: queueFrom(env), log: logger('ecr-push') };
}

export function scheduleDepsFromEnv(env: Env): ScheduleDeps {
  let scopes: unknown;
  try {
    scopes = JSON.parse(env[envNames.scopes] ?? '{}');
  } catch (err) {
    throw new Error(`environment variable ${envNames.scopes} is not JSON: ${(err as Error).message}`);
  }
  return { queue: queueFrom(env), scopes: parseScopes(scopes, envNames.scopes), log: logger('schedule') };
}

export async function webhookDepsFromEnv(env: Env): Promise<WebhookDeps> {
  const audience = env[envNames.pubsubAudience];
  const accounts = (env[envNames.pubsubServiceAccounts] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    queue: queueFrom(env),
    secrets: new CachedSecret(new SecretsManagerClient({}), required(env, envNames.webhookSecretArn), WebhookSecrets),
    verifyPubSub: audience && accounts.length > 0 ? pubSubVerifier({ audience, serviceAccounts: accounts }) : undefined,
    acrHeader: (env[envNames.acrHeader] ?? 'authorization').toLowerCase(),
    maxBodyBytes: defaultMaxBodyBytes,
    log: logger('webhook'),
  };
}

export async function workerDepsFromEnv(env: Env): Promise<WorkerDeps> {
  const settings = loadSettings(env[envNames.settingsFile]);
  const engine = await Engine.load({ config: settings.config });
  const store = new DynamoStateStore({ tableName: required(env, envNames.stateTable), client: new DynamoDBClient({}) });
  return {
    queue: queueFrom(env),
    ledger: new DynamoLedger(new DynamoDBClient({}), required(env, envNames.ledgerTable), {
      leaseSeconds: intFrom(env, envNames.leaseSeconds, 20 * 60),
      retainSeconds: intFrom(env, envNames.retainSeconds, 5 * 24 * 3600),
    }),
    engine,
    policyDigest: policyDigestOf(engine.bundleDigest, { config: settings.config, exceptions: settings.exceptions, modes: settings.modes }),
    collectors: providerCollectors(),
    recorder: new StateRecorder(store, () => ({ targets: settings.publishTargets, exceptions: new ExceptionSet(settings.exceptions), modes: settings.modes })),
    concurrency: intFrom(env, envNames.concurrency, 4),
    log: logger('worker'),
  };
}
