// Records one scan's assets in the finding state: each asset's transitions and publication intents
// in one conditional write. Shared by the Lambda worker and the CLI.
import { contentHashOf } from './jobs.ts';
import { recordScan, type RecordOptions } from './lifecycle.ts';
import type { ScanResult } from './scan.ts';
import type { StateStore } from './state/store.ts';

export interface RecordOutcome {
  recorded: number;
  duplicates: number;
  transitions: number;
  intents: number;
}

export async function recordScanResult(store: StateStore, scan: ScanResult, policyDigest: string, options: RecordOptions): Promise<RecordOutcome> {
  const outcome: RecordOutcome = { recorded: 0, duplicates: 0, transitions: 0, intents: 0 };
  for (const asset of scan.assets) {
    const summary = await recordScan(
      store,
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
