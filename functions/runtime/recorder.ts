// The worker's hand-off to finding state (core/record-result.ts); the publisher function drains the intents.
import type { Job } from '../../core/jobs.ts';
import type { RecordOptions } from '../../core/lifecycle.ts';
import { recordScanResult, type RecordOutcome } from '../../core/record-result.ts';
import type { ScanResult } from '../../core/scan.ts';
import type { StateStore } from '../../core/state/store.ts';

export type { RecordOutcome };

export interface ScanRecorder {
  record(scan: ScanResult, job: Job, policyDigest: string): Promise<RecordOutcome>;
}

export class StateRecorder implements ScanRecorder {
  constructor(
    private readonly store: StateStore,
    /** Called per scan: exception expiry is judged at recording time, not at cold start. */
    private readonly options: () => RecordOptions,
  ) {}

  record(scan: ScanResult, _job: Job, policyDigest: string): Promise<RecordOutcome> {
    return recordScanResult(this.store, scan, policyDigest, this.options());
  }
}
