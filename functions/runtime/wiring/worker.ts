// Wiring for the SQS scan worker: posture.yaml from the bundle, the policy engine, the ledger and
// state tables, and the production collectors (the aws/azure/gcp sections of posture.yaml say how each
// cloud is read; the deployment's scopes name the role to assume in each AWS account).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../../../core/config.ts';
import { ExceptionSet } from '../../../core/exceptions.ts';
import { policyDigestOf } from '../../../core/jobs.ts';
import { DynamoStateStore } from '../../../core/state/dynamodb.ts';
import { Engine } from '../../../policies/engine.ts';
import { publishTargets } from '../../../publishers/config.ts';
import type { WorkerDeps } from '../../worker.ts';
import { envNames, intFrom, logger, queueFrom, required, type Env } from '../env.ts';
import { installGoogleExternalAccount } from '../google-federation.ts';
import { DynamoLedger } from '../ledger.ts';
import { providerCollectors } from '../provider-collectors.ts';
import { parseScopes } from '../scopes.ts';
import { StateRecorder } from '../recorder.ts';

export async function workerDepsFromEnv(env: Env): Promise<WorkerDeps> {
  installGoogleExternalAccount(env);
  const config = loadConfig(env[envNames.configFile]);
  const engine = await Engine.load({ config });
  const db = new DynamoDBClient({});
  const store = new DynamoStateStore({ tableName: required(env, envNames.stateTable), client: db });
  return {
    queue: queueFrom(env),
    ledger: new DynamoLedger(db, required(env, envNames.ledgerTable), {
      leaseSeconds: intFrom(env, envNames.leaseSeconds, 20 * 60),
      retainSeconds: intFrom(env, envNames.retainSeconds, 5 * 24 * 3600),
    }),
    engine,
    policyDigest: policyDigestOf(engine.bundleDigest, config),
    collectors: providerCollectors({
      clouds: { aws: { settings: config.aws, roles: awsRolesFromEnv(env) }, azure: { settings: config.azure }, gcp: { settings: config.gcp } },
    }),
    recorder: new StateRecorder(store, () => ({ targets: publishTargets(config.publish), exceptions: new ExceptionSet(config.exceptions), modes: config.modes })),
    concurrency: intFrom(env, envNames.concurrency, 4),
    log: logger('worker'),
  };
}

/** Account → role ARN from the scopes the stack hands the worker (absent: posture.yaml's aws.roleName). */
export function awsRolesFromEnv(env: Env): Record<string, string> {
  const raw = env[envNames.scopes];
  if (!raw) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new Error(`environment variable ${envNames.scopes} is not JSON: ${(err as Error).message}`);
  }
  const scopes = parseScopes(value, envNames.scopes);
  return Object.fromEntries(scopes.aws.flatMap((a) => (a.roleArn ? [[a.account, a.roleArn]] : [])));
}
