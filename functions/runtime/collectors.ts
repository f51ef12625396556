// What the worker needs from the provider adapters, per job type. The production set wires these to
// the providers' collect functions (see deps.ts); tests and the e2e harness wire them to stand-ins.
import type { Asset } from '../../core/asset.ts';
import type { Job, NativeScanJob, ScanAssetJob, ScanImageJob, ScanScopeJob } from '../../core/jobs.ts';
import type { ScanError } from '../../core/scan.ts';

export interface Collected {
  assets: Asset[];
  /** Partial failures (AccessDenied in one place, a broken layer): reported with the scan, not retried. */
  errors: ScanError[];
}

export interface Collectors {
  /** Lists a scope's assets as jobs (one per asset) without collecting them. */
  enumerate(job: ScanScopeJob): Promise<Job[]>;
  collect(job: ScanImageJob | ScanAssetJob | NativeScanJob): Promise<Collected>;
}

export class CollectorMissing extends Error {
  override name = 'CollectorMissing';
}
