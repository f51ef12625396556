// One scan: assets in, findings out, with everything a report or the state store needs to know.
import { randomUUID } from 'node:crypto';
import type { Asset } from './asset.ts';
import type { RawDigests } from './raw-digests.ts';
import type { CollectedScope } from './collection-scope.ts';
import type { Finding } from './finding.ts';
import { redactFoundSecrets, SecretHasher } from './found-secrets.ts';
import { scrubValue } from './redact.ts';
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
  /** Present once the assets' `raw` payloads were released: the digests kept of them (core/raw-digests.ts). */
  rawDigests?: WeakMap<Asset, RawDigests>;
}

let processHasher: SecretHasher | undefined;

/**
 * Evaluates every asset, then makes the result safe to keep: credentials the findings flag are replaced by
 * keyed hashes (`hasher`; without one, a per-process key), and credentials posture was given are scrubbed
 * from error text. Everything downstream (reports, history, evidence, state, outbox) reads this result.
 */
export function scanAssets(engine: Engine, assets: Asset[], errors: ScanError[] = [], startedAt = new Date(), scopes?: CollectedScope[], hasher?: SecretHasher): ScanResult {
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
  const safe = redactFoundSecrets(assets, findings, hasher ?? (processHasher ??= SecretHasher.ephemeral()));
  // An image's scan errors may quote a server; credentials posture holds are scrubbed from them.
  const kept = safe.assets.map((a) => (a.kind === 'image' && a.image.scanErrors.length ? { ...a, image: { ...a.image, scanErrors: scrubValue(a.image.scanErrors) } } : a));
  return {
    scanId: randomUUID(),
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    bundleDigest: engine.bundleDigest,
    rules: engine.catalog,
    assets: kept,
    findings: safe.findings,
    outcomes,
    errors: scrubValue(errors),
    ...(scopes ? { scopes } : {}),
  };
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
