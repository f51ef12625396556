// What the worker needs from the provider adapters, per job type. The production set wires these to
// the providers' collect functions (see deps.ts); tests and the e2e harness wire them to stand-ins.
import type { Asset } from '../../core/asset.ts';
import type { Job, NativeScanJob, ScanAssetJob, ScanImageJob, ScanScopeJob } from '../../core/jobs.ts';
import type { ScanError } from '../../core/scan.ts';
import type { ScopeStatus } from '../../providers/provider.ts';

export interface Collected {
  assets: Asset[];
  /** Partial failures (AccessDenied in one place, a broken layer): reported with the scan, not retried. */
  errors: ScanError[];
}

/** What a scope job produced: its configuration assets, collected in place, and one job per image. */
export interface Swept extends Collected {
  /** Follow-up jobs (one `scan-image` per image, one `scan-scope` per cluster found), queued after the scope's own assets are recorded. */
  jobs: Job[];
  /**
   * The scope's stable key and whether its collection completed (providers/provider.ts ScopeStatus): an
   * asset missing from a `complete` scope is gone; from a `partial` one it may only be unreadable.
   */
  scope: { key: string; status: ScopeStatus };
}

export interface Collectors {
  /**
   * Collects a scope's configuration assets (evaluated and recorded by the scope job itself) and lists
   * its images as jobs, without pulling them. See provider-collectors.ts for why the split is there.
   */
  sweep(job: ScanScopeJob): Promise<Swept>;
  /** `signal` aborts when the invocation is about to run out of time. */
  collect(job: ScanImageJob | ScanAssetJob | NativeScanJob, signal?: AbortSignal): Promise<Collected>;
}

export class CollectorMissing extends Error {
  override name = 'CollectorMissing';
}

/** Nothing in a scope could be read: the job fails so SQS retries it (and dead-letters it in the end). */
export class ScopeUnreadable extends Error {
  override name = 'ScopeUnreadable';
}
