// EventBridge Scheduler target: the estate sweep. One scope job per AWS account × region, Azure
// subscription and GCP project; the worker turns each into one job per asset.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ScanScopeJob, Trigger } from '../core/jobs.ts';
import type { JobQueue } from './runtime/queue.ts';
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

export function sweepJobs(scopes: Scopes, trigger: Trigger): ScanScopeJob[] {
  const job = (cloud: ScanScopeJob['cloud'], account: string, region: string): ScanScopeJob => ({ v: 1, type: 'scan-scope', cloud, account, region, trigger });
  return [
    ...scopes.aws.flatMap((a) => a.regions.map((r) => job('aws', a.account, r))),
    ...scopes.azure.map((s) => job('azure', s.subscription, '')),
    ...scopes.gcp.map((p) => job('gcp', p.project, '')),
  ];
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
