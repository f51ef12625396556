// EventBridge Scheduler target: the estate sweep. One scope job per scope the deployment names (AWS
// account × region, Azure subscription, GCP project …, as each provider declares), and with an organization
// configured, one per active member account × region (Organizations ListAccounts, minus exclusions), all
// fanned out through the scan queue; the worker collects each.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ScanScopeJob, Trigger } from '../core/jobs.ts';
import { sweptAccounts, type AwsOrganization } from '../providers/aws/organization.ts';
import type { JobQueue } from './runtime/queue.ts';
import { allProviders } from '../providers/registry.ts';
import type { Scopes } from './runtime/scopes.ts';
import { lazyHandler } from './runtime/lazy.ts';

/** The schedule's input template fills these from `<aws.scheduler.execution-id>` / `<aws.scheduler.scheduled-time>`. */
export const SweepEvent = z.object({
  kind: z.literal('sweep'),
  executionId: z.string().min(1).max(256).optional(),
  scheduledTime: z.string().optional(),
});

export interface ScheduleDeps {
  queue: JobQueue;
  scopes: Scopes;
  log: Logger;
  /** Organization-wide sweep: the deployment's organization settings and its ListAccounts. */
  organization?: { settings: AwsOrganization; activeAccounts: () => Promise<string[]> };
}

/** One scope job per swept account × region of the organization, except scopes the deployment already names. */
export function organizationJobs(organization: AwsOrganization, accounts: readonly string[], trigger: Trigger, already: readonly ScanScopeJob[]): ScanScopeJob[] {
  const named = new Set(already.map((j) => `${j.cloud}/${j.account}/${j.region ?? ''}`));
  return sweptAccounts(organization, accounts).flatMap((account) =>
    organization.regions.filter((region) => !named.has(`aws/${account}/${region}`)).map((region): ScanScopeJob => ({ v: 1, type: 'scan-scope', cloud: 'aws', account, region, trigger })),
  );
}

/** One scope job per scope each provider's part of the deployment names, in registry order. */
export function sweepJobs(scopes: Scopes, trigger: Trigger): ScanScopeJob[] {
  return allProviders().flatMap((provider) =>
    provider.scopes.fromDeployment((scopes as Record<string, unknown>)[provider.id]).map(
      (scope): ScanScopeJob => ({ v: 1, type: 'scan-scope', cloud: scope.provider as ScanScopeJob['cloud'], account: scope.account, region: scope.region, ...(scope.target ? { target: scope.target } : {}), trigger }),
    ),
  );
}

export function createScheduleHandler(deps: ScheduleDeps): (event: unknown) => Promise<{ jobs: number }> {
  return async (event) => {
    const parsed = SweepEvent.safeParse(event);
    if (!parsed.success) {
      // The schedule's input is ours (CDK); a mismatch is a deployment bug, so fail loudly.
      throw new Error(`schedule input is not a sweep event: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    const trigger: Trigger = {
      source: 'schedule',
      eventId: parsed.data.executionId ?? randomUUID(),
      at: parsed.data.scheduledTime ?? new Date().toISOString(),
    };
    const configured = sweepJobs(deps.scopes, trigger);
    let members: ScanScopeJob[] = [];
    let listing: Error | undefined;
    if (deps.organization) {
      try {
        const active = await deps.organization.activeAccounts();
        members = organizationJobs(deps.organization.settings, active, trigger, configured);
        deps.log.info({ organization: deps.organization.settings.id, active: active.length, excluded: deps.organization.settings.exclude.length, jobs: members.length }, 'organization accounts listed');
      } catch (err) {
        listing = err as Error;
      }
    }
    const jobs = [...configured, ...members];
    if (jobs.length === 0 && !listing) deps.log.warn('sweep found no configured scopes: nothing to scan');
    await deps.queue.send(jobs);
    deps.log.info({ jobs: jobs.length, organizationJobs: members.length, sweep: trigger.eventId }, 'sweep queued scope jobs');
    // The configured scopes are queued either way; the failure is the invocation's, so Scheduler retries it
    // (the same execution id: the worker's ledger skips the jobs already done) and then dead-letters it.
    if (listing) throw new Error(`organization ${deps.organization?.settings.id}: Organizations ListAccounts failed, member accounts not swept: ${listing.name}: ${listing.message}`);
    return { jobs: jobs.length };
  };
}

export const handler = lazyHandler(async () => {
  const { scheduleDepsFromEnv } = await import('./runtime/wiring/schedule.ts');
  return createScheduleHandler(scheduleDepsFromEnv(process.env));
});
