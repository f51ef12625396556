// Wiring for the scheduled outbox drain: publishers from posture.yaml, secrets from Secrets Manager.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../../../core/config.ts';
import { DynamoStateStore } from '../../../core/state/dynamodb.ts';
import { publishersFromConfig, secretsManagerLoader } from '../../../publishers/from-config.ts';
import type { PublisherDeps } from '../../publisher.ts';
import { envNames, logger, required, type Env } from '../env.ts';
import { createMetrics } from '../metrics.ts';

export async function publisherDepsFromEnv(env: Env): Promise<PublisherDeps> {
  const config = loadConfig(env[envNames.configFile]);
  const store = new DynamoStateStore({ tableName: required(env, envNames.stateTable), client: new DynamoDBClient({}) });
  const publishers = await publishersFromConfig(config, env, { secretLoader: secretsManagerLoader() });
  return { store, publishers, log: logger('publisher'), metrics: createMetrics('publisher') };
}
