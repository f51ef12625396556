// Wiring for the SQS scan worker: posture.yaml from the bundle, the policy engine, the ledger and
// state tables, and the production collectors (the provider sections of posture.yaml say how each
// provider is read; the deployment's scopes name the role to assume in each AWS account).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { hasherFromText } from '../../../core/redaction-key.ts';
import { S3Client } from '@aws-sdk/client-s3';
import { loadConfig, providerSettings } from '../../../core/config.ts';
import { ExceptionSet } from '../../../core/exceptions.ts';
import { policyDigestOf } from '../../../core/jobs.ts';
import { registryAllowList } from '../../../core/registry-hosts.ts';
import { DynamoStateStore } from '../../../core/state/dynamodb.ts';
import { Engine } from '../../../policies/engine.ts';
import { collectOptionsFromConfig } from '../../../providers/oci/options.ts';
import { publishTargets } from '../../../publishers/config.ts';
import type { WorkerDeps } from '../../worker.ts';
import { AwsOrganization } from '../../../providers/aws/organization.ts';
import type { SettingsMap } from '../../../providers/registry.ts';
import { envNames, intFrom, jsonFrom, logger, queueFrom, required, type Env } from '../env.ts';
import { installGoogleExternalAccount } from '../google-federation.ts';
import { createMetrics } from '../metrics.ts';
import { DynamoLedger } from '../ledger.ts';
import { providerCollectors, type ProviderCollectorOptions } from '../provider-collectors.ts';
import { supplyChainOptions } from '../../../supply-chain/run-options.ts';
import { scopesFromEnv } from '../scopes.ts';
import { StateRecorder } from '../recorder.ts';
import { CachedSecret } from '../secrets.ts';

const RedactionKey = z.object({ key: z.string().regex(/^[0-9a-f]{32,}$/) });
import { S3InventoryCache } from '../inventory-cache.ts';
import { CloudVulnDb } from '../vulndb.ts';

/** Where registries are reached when they are loopback stand-ins (the e2e harness and tests); never set in Lambda. */
export type RegistryStandIns = Pick<ProviderCollectorOptions, 'registryEndpoints' | 'insecureHosts'>;

export async function workerDepsFromEnv(env: Env, standIns: RegistryStandIns = {}): Promise<WorkerDeps> {
  installGoogleExternalAccount(env);
  const config = loadConfig(env[envNames.configFile]);
  // Signature policies judge every pulled image a policy covers (IMG-007/016/017), as `posture scan` does.
  const supplyChain = await supplyChainOptions(config);
  const engine = await Engine.load({ config });
  const db = new DynamoDBClient({});
  const keyArn = env[envNames.redactionKeyArn];
  // Without a deployed key (a test, a local run) a per-container key still keeps found secrets out of state.
  const hasher = keyArn ? hasherFromText((await new CachedSecret(new SecretsManagerClient({}), keyArn, RedactionKey).get()).key, `secret ${keyArn}`) : undefined;
  const store = new DynamoStateStore({ tableName: required(env, envNames.stateTable), client: db });
  const log = logger('worker');
  // The data bucket holds the vulnerability index (loaded once per container) and analysed inventories.
  const bucket = env[envNames.vulnDbBucket];
  const s3 = bucket ? new S3Client({}) : null;
  return {
    queue: queueFrom(env),
    ledger: new DynamoLedger(db, required(env, envNames.ledgerTable), {
      leaseSeconds: intFrom(env, envNames.leaseSeconds, 20 * 60),
      retainSeconds: intFrom(env, envNames.retainSeconds, 5 * 24 * 3600),
    }),
    engine,
    policyDigest: policyDigestOf(engine.bundleDigest, config),
    collectors: providerCollectors({
      settings: withOrganizationRole(providerSettings(config), jsonFrom(env, envNames.organization, AwsOrganization)),
      deployment: scopesFromEnv(env, envNames.scopes),
      // Budgets, deadlines and token realms from posture.yaml's imageScan and registries sections.
      image: { ...collectOptionsFromConfig(config), ...(supplyChain ? { supplyChain } : {}) },
      ...standIns,
      ...(s3 && bucket ? { inventory: new S3InventoryCache(s3, bucket) } : {}),
      log,
    }),
    ...(s3 && bucket ? { vulnerabilities: new CloudVulnDb(s3, bucket, { log }) } : {}),
    recorder: new StateRecorder(store, () => ({ targets: publishTargets(config.publish), exceptions: new ExceptionSet(config.exceptions), modes: config.modes })),
    concurrency: intFrom(env, envNames.concurrency, 4),
    log,
    metrics: createMetrics('worker'),
    registryAllowed: registryAllowList(config.registries),
    ...(hasher ? { hasher } : {}),
  };
}

/**
 * Member accounts found by an organization sweep are reached through the role the member-account stack
 * creates (the deployment's organization settings name it); scopes with a configured role keep theirs.
 */
export function withOrganizationRole(settings: SettingsMap, organization: AwsOrganization | undefined): SettingsMap {
  if (!organization) return settings;
  return { ...settings, aws: { ...(settings.aws ?? {}), roleName: organization.roleName, rolePath: organization.rolePath } };
}
