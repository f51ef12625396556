// Environment contract between the CDK stack and the functions, and small readers for it.
// Each handler's wiring (functions/runtime/wiring/*.ts) imports only what that handler needs, so
// every function bundle carries only its own dependencies.
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from 'pino';
import { z } from 'zod';
import { log as rootLog } from '../../core/log.ts';
import { SqsJobQueue } from './queue.ts';

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
  /** Organization-wide sweep settings (providers/aws/organization.ts), JSON; absent: no organization sweep. */
  organization: 'POSTURE_ORGANIZATION',
  /** posture.yaml shipped in the bundle: scan config, exceptions, modes, publishers. */
  configFile: 'POSTURE_CONFIG_FILE',
  concurrency: 'POSTURE_WORKER_CONCURRENCY',
  leaseSeconds: 'POSTURE_LEDGER_LEASE_SECONDS',
  retainSeconds: 'POSTURE_LEDGER_RETAIN_SECONDS',
  /** Secrets Manager secret {"key": <hex>} under which the worker hashes found secrets. */
  redactionKeyArn: 'POSTURE_REDACTION_KEY_ARN',
  /** Google external_account config (workload identity federation from this function's AWS role). */
  gcpExternalAccount: 'POSTURE_GCP_EXTERNAL_ACCOUNT',
  /** Bucket of the vulnerability index (vulndb/) and of analysed image inventories (inventory/). */
  vulnDbBucket: 'POSTURE_DATA_BUCKET',
} as const;

export type Env = Record<string, string | undefined>;

export function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set (the CDK stack sets it)`);
  return value;
}

const PositiveInt = z.coerce.number().int().positive();

export function intFrom(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = PositiveInt.safeParse(raw);
  if (!parsed.success) throw new Error(`environment variable ${name}="${raw}" is not a positive integer`);
  return parsed.data;
}

export function logger(fn: string): Logger {
  return rootLog.child({ fn });
}

export const queueFrom = (env: Env, sqs = new SQSClient({})): SqsJobQueue =>
  new SqsJobQueue(sqs, required(env, envNames.queueUrl), env[envNames.deadLetterUrl]);

/** A JSON environment variable validated by `schema`; undefined when unset. */
export function jsonFrom<T>(env: Env, name: string, schema: z.ZodType<T>): T | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new Error(`environment variable ${name} is not JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`environment variable ${name} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
