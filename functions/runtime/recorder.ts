// The worker's hand-off to finding state: each scanned asset is recorded with recordScan (transitions
// and publication intents in one conditional write; the publisher function drains the intents).
import type { Job } from '../../core/jobs.ts';
import { contentHashOf } from '../../core/jobs.ts';
import type { ScanResult } from '../../core/scan.ts';
import { recordScan, type RecordOptions } from '../../core/lifecycle.ts';
import type { StateStore } from '../../core/state/store.ts';

export interface RecordOutcome {
  recorded: number;
  duplicates: number;
  transitions: number;
  intents: number;
}

export interface ScanRecorder {
  record(scan: ScanResult, job: Job, policyDigest: string): Promise<RecordOutcome>;
}

export class StateRecorder implements ScanRecorder {
  constructor(
    private readonly store: StateStore,
    /** Called per scan: exception expiry is judged at recording time, not at cold start. */
    private readonly options: () => RecordOptions,
  ) {}

  async record(scan: ScanResult, _job: Job, policyDigest: string): Promise<RecordOutcome> {
    const outcome: RecordOutcome = { recorded: 0, duplicates: 0, transitions: 0, intents: 0 };
    const options = this.options();
    for (const asset of scan.assets) {
      const summary = await recordScan(
        this.store,
        {
          assetId: asset.id,
          contentHash: contentHashOf(asset),
          policyBundleDigest: policyDigest,
          asset: { id: asset.id, account: asset.account, region: asset.region, tags: asset.tags },
          scanId: scan.scanId,
          findings: scan.findings.filter((f) => f.assetId === asset.id),
          // A rule that does not judge this kind cannot have resolved anything on it.
          evaluatedRules: scan.rules.filter((r) => r.kind.includes(asset.kind)).map((r) => r.id),
        },
        options,
      );
      if (summary.duplicate) outcome.duplicates += 1;
      else outcome.recorded += 1;
      const { unchanged: _unchanged, ...changes } = summary.transitions;
      outcome.transitions += Object.values(changes).reduce((a, b) => a + b, 0);
      outcome.intents += summary.intents;
    }
    return outcome;
  }
}
