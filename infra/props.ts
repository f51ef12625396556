// The deployment's settings, typed: what `cdk.json` context key `posture` (or `-c posture='{…}'`)
// may hold, validated with the same schemas the functions use at run time.
import { z } from 'zod';
import { AwsOrganization } from '../providers/aws/organization.ts';
import { DeploymentScopes } from '../providers/registry.ts';

export const PostureSettings = z
  .object({
    /** The estate the schedule sweeps; its role ARNs are the only ones the worker may assume. */
    scopes: DeploymentScopes.prefault({}),
    /**
     * Organization-wide: the schedule sweeps every active account (ListAccounts, deploy in the management or a
     * delegated administrator account) minus `exclude`, and member accounts forward ECR events to this
     * deployment's organization event bus, which admits PutEvents from this organization only.
     */
    organization: AwsOrganization.optional(),
    /** EventBridge Scheduler expression for the sweep. */
    sweepSchedule: z.string().regex(/^(rate|cron)\(.+\)$/, 'expected rate(...) or cron(...)').default('rate(1 day)'),
    /** How often the publisher drains the outbox. */
    publishSchedule: z.string().regex(/^(rate|cron)\(.+\)$/).default('rate(5 minutes)'),
    /** Limit ECR push scans to repositories with these name prefixes (empty: every repository). */
    repositoryPrefixes: z.array(z.string().min(1)).default([]),
    pubsub: z
      .object({
        /** The audience configured on the push subscription's oidcToken. */
        audience: z.string().min(1),
        serviceAccounts: z.array(z.email()).min(1),
      })
      .strict()
      .optional(),
    /**
     * Google workload identity federation for the worker: the pool provider (type AWS) that trusts this
     * account, and the service account to impersonate. No key is stored anywhere.
     */
    gcpFederation: z
      .object({
        audience: z.string().regex(/^\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/, 'the pool provider resource name'),
        serviceAccount: z.email().optional(),
      })
      .strict()
      .optional(),
    /** Header carrying the ACR classic webhook secret. */
    acrHeader: z.string().regex(/^[A-Za-z0-9-]+$/).default('authorization'),
    /** posture.yaml (scan config, exceptions, modes, publishers) shipped in the worker and publisher bundles. */
    configFile: z.string().optional(),
    /** Concurrent worker invocations the queue may drive (bounds load on the clouds scanned). */
    workerMaxConcurrency: z.number().int().min(2).max(1000).default(10),
    /** Records processed in parallel inside one worker invocation. */
    workerRecordConcurrency: z.number().int().min(1).max(10).default(4),
    maxReceiveCount: z.number().int().min(1).max(20).default(5),
    /** EventBridge Scheduler expression for refreshing the vulnerability index from the OSV archives. */
    vulnDbSyncSchedule: z.string().regex(/^(rate|cron)\(.+\)$/, 'expected rate(...) or cron(...)').default('rate(6 hours)'),
    /** /tmp of the sync function: the previous index, one downloaded archive and the new index fit in it. */
    vulnDbSyncStorageGiB: z.number().int().min(1).max(10).default(8),
    /** /tmp of the worker: the vulnerability index it loads once per container (its size grows with the ecosystems synced). */
    workerStorageGiB: z.number().int().min(1).max(10).default(4),
    /** Days an analysed image inventory is kept for re-evaluating that image without pulling it. */
    inventoryRetentionDays: z.number().int().min(1).max(365).default(30),
    /** Alarm notifications go to this address when set. */
    alarmEmail: z.email().optional(),
  })
  .strict();
export type PostureSettings = z.infer<typeof PostureSettings>;
export type PostureSettingsInput = z.input<typeof PostureSettings>;

export function parsePostureSettings(value: unknown, origin = 'CDK context "posture"'): PostureSettings {
  const parsed = PostureSettings.safeParse(typeof value === 'string' ? JSON.parse(value) : (value ?? {}));
  if (!parsed.success) {
    throw new Error(`${origin} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
