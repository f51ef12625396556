// EventBridge Scheduler target: the estate sweep. One scope job per scope the deployment names (AWS
// account × region, Azure subscription, GCP project …, as each provider declares); the worker collects each.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ScanScopeJob, Trigger } from '../core/jobs.ts';
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
    const jobs = sweepJobs(deps.scopes, trigger);
    if (jobs.length === 0) deps.log.warn('sweep found no configured scopes: nothing to scan');
    await deps.queue.send(jobs);
    deps.log.info({ jobs: jobs.length, sweep: trigger.eventId }, 'sweep queued scope jobs');
    return { jobs: jobs.length };
  };
}

export const handler = lazyHandler(async () => {
  const { scheduleDepsFromEnv } = await import('./runtime/wiring/schedule.ts');
  return createScheduleHandler(scheduleDepsFromEnv(process.env));
});
