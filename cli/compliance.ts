// The compliance side of a scan: limit to --framework, score, note which exceptions cover which
// findings, and record the snapshot (with its drift against the previous one) in the scan history.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig, type Config } from '../core/config.ts';
import { diffStreams, type DriftReport } from '../core/drift.ts';
import { ExceptionSet, type Suppression } from '../core/exceptions.ts';
import { defaultFrameworks, limitToFramework, type Frameworks } from '../core/frameworks.ts';
import type { ScanResult } from '../core/scan.ts';
import { computeScores, type ComplianceScores } from '../core/scores.ts';
import { defaultHistoryDir, snapshotParts, SnapshotStore } from '../core/snapshots.ts';
import { repoRoot } from '../policies/layout.ts';
import type { SecurityHubConfig } from '../publishers/config.ts';

export interface ComplianceExtras {
  scores: ComplianceScores;
  suppressions: Record<string, Suppression>;
  /** Since the previous scan: totals over every asset, and the assets with something to say (for a report that shows them). */
  drift?: DriftReport | null;
  securityHub?: SecurityHubConfig;
}

let version: string | undefined;
/** The policy bundle ships with the tool, so the tool's version is the bundle's version. */
export function policyVersion(): string {
  version ??= `posture ${(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version}`;
  return version;
}

export function complianceOf(
  scanned: ScanResult,
  options: { config?: Config; framework?: string; frameworks?: Frameworks } = {},
): { result: ScanResult; extras: ComplianceExtras } {
  const frameworks = options.frameworks ?? defaultFrameworks();
  const config = options.config ?? parseConfig({});
  const result = options.framework ? limitToFramework(scanned, frameworks, options.framework) : scanned;
  const scores = computeScores(result, frameworks, options.framework);
  const exceptions = new ExceptionSet(config.exceptions, new Date(result.startedAt));
  const assets = new Map(result.assets.map((a) => [a.id, a]));
  const suppressions: Record<string, Suppression> = {};
  for (const f of result.findings) {
    const asset = assets.get(f.assetId);
    const hit = asset ? exceptions.match(f, asset) : null;
    if (hit) suppressions[f.fingerprint] = hit;
  }
  const securityHub = config.publish.securityhub;
  return { result, extras: { scores, suppressions, ...(securityHub ? { securityHub } : {}) } };
}

/**
 * Appends the scan to the history and returns its drift against the previous scan (null for the first): the
 * totals, and the assets with something to say unless `keep` is 'none' (a report that does not show them). The
 * snapshot is written, and both it and the previous one read back, a record at a time.
 */
export function recordHistory(result: ScanResult, extras: ComplianceExtras, dir: string = defaultHistoryDir, keep: 'notable' | 'none' = 'notable'): DriftReport | null {
  const store = new SnapshotStore(dir);
  const entry = store.append(snapshotParts(result, extras.scores, { policyVersion: policyVersion(), suppressions: extras.suppressions }));
  const previous = store.chain().filter((e) => e.seq < entry.seq).at(-1);
  return previous ? diffStreams(store.open(previous), store.open(entry), keep) : null;
}
