// One scan: assets in, findings out, with everything a report or the state store needs to know.
import { randomUUID } from 'node:crypto';
import type { Asset } from './asset.ts';
import type { CollectedScope } from './collection-scope.ts';
import type { Finding } from './finding.ts';
import type { AssetOutcomes } from './outcomes.ts';
import type { Engine } from '../policies/engine.ts';
import type { CatalogRule, Severity } from '../policies/catalog.ts';

export interface ScanError {
  source: string;
  message: string;
}

export interface ScanResult {
  scanId: string;
  startedAt: string;
  finishedAt: string;
  bundleDigest: string;
  rules: CatalogRule[];
  assets: Asset[];
  findings: Finding[];
  /** Per asset (same order as `assets`): the outcome of every rule that applies to it (core/outcomes.ts). */
  outcomes: AssetOutcomes[];
  errors: ScanError[];
  /** The scopes the collection set out to enumerate completely (absent: none, e.g. files given one by one). */
  scopes?: CollectedScope[];
}

export function scanAssets(engine: Engine, assets: Asset[], errors: ScanError[] = [], startedAt = new Date(), scopes?: CollectedScope[]): ScanResult {
  const findings: Finding[] = [];
  const outcomes: AssetOutcomes[] = [];
  for (const asset of assets) {
    try {
      const assessed = engine.assess(asset);
      findings.push(...assessed.findings);
      outcomes.push(assessed.outcomes);
    } catch (err) {
      const message = `evaluation failed: ${(err as Error).message}`;
      errors.push({ source: asset.id, message });
      outcomes.push(engine.unevaluated(asset, message));
    }
  }
  return {
    scanId: randomUUID(),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    bundleDigest: engine.bundleDigest,
    rules: engine.catalog,
    assets,
    findings,
    outcomes,
    errors,
    ...(scopes ? { scopes } : {}),
  };
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
