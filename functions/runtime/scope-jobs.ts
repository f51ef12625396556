// Jobs a scope job hands on: one `scan-image` per image it found and one `scan-scope` per scope found inside
// it (a cluster), each traced back to the sweep that found it.
import { ScanImageJob, ScanScopeJob } from '../../core/jobs.ts';
import type { Scope } from '../../providers/provider.ts';

const fromSweep = (scope: ScanScopeJob) => ({ source: 'scope' as const, eventId: scope.trigger.eventId, at: scope.trigger.at });

/** Validated here, so a bad digest or an over-long name is this scope's error, not a poison message later. */
export function imageJob(scope: ScanScopeJob, image: ScanImageJob['image'], account = scope.account, region = scope.region, cloud: string = scope.cloud): ScanImageJob {
  return ScanImageJob.parse({ v: 1, type: 'scan-image', cloud, account, region, trigger: fromSweep(scope), image });
}

export function scopeJob(parent: ScanScopeJob, scope: Scope): ScanScopeJob {
  return ScanScopeJob.parse({
    v: 1,
    type: 'scan-scope',
    cloud: scope.provider,
    account: scope.account,
    region: scope.region,
    ...(scope.target ? { target: scope.target } : {}),
    trigger: fromSweep(parent),
  });
}
