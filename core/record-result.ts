// Records one scan's assets in the finding state: each asset's transitions and publication intents
// in one conditional write; then, for each scope the collection completed without errors, resolves the
// assets it no longer has. Shared by the Lambda worker and the CLI.
import { contentHashIn } from './raw-digests.ts';
import { recordScan, resolveMissingAssets, type RecordOptions } from './lifecycle.ts';
import type { AssetOutcomes } from './outcomes.ts';
import type { ScanResult } from './scan.ts';
import type { CatalogRule } from '../policies/catalog.ts';
import type { StateStore } from './state/store.ts';

export interface RecordOutcome {
  recorded: number;
  duplicates: number;
  transitions: number;
  /** Findings opened (first seen), reopened and resolved (fixed or no longer present) by this recording. */
  opened: number;
  reopened: number;
  resolved: number;
  intents: number;
  /** Scopes whose collection completed (assets missing from them were resolved) and those that did not. */
  scopes: { complete: number; incomplete: number };
  /** Assets resolved as no longer present, and their findings resolved. */
  removedAssets: number;
  removedFindings: number;
}

/**
 * Rules whose verdict on the asset is known, with the ids they replaced: only their earlier findings may
 * be resolved. Pass or fail is a verdict; so is "does not apply" for a rule of the catalog that no longer
 * judges this kind of asset (ECS-014 moved from services to clusters: its findings on services close
 * rather than stay open for ever). A rule that applied but could not judge (input missing, collection
 * error, partial image) leaves its open findings as they are, so an outage never closes a ticket. An alias
 * that is still a rule of its own (the rest of a rule split into a cross-cloud one) is judged by that rule.
 */
export function judgedRules(outcomes: AssetOutcomes | undefined, rules: ReadonlyMap<string, Pick<CatalogRule, 'aliases'>>): string[] {
  if (!outcomes) return [];
  const unjudged = new Set([...outcomes.manual, ...outcomes.notEvaluated.map((n) => n.ruleId)]);
  const applicable = new Set(outcomes.applicable);
  const notApplicable = [...rules.keys()].filter((id) => !applicable.has(id));
  return [...outcomes.applicable.filter((id) => !unjudged.has(id)), ...notApplicable].flatMap((id) => [id, ...(rules.get(id)?.aliases ?? []).filter((alias) => !unjudged.has(alias))]);
}

export async function recordScanResult(store: StateStore, scan: ScanResult, policyDigest: string, options: RecordOptions): Promise<RecordOutcome> {
  const outcome: RecordOutcome = {
    recorded: 0,
    duplicates: 0,
    transitions: 0,
    opened: 0,
    reopened: 0,
    resolved: 0,
    intents: 0,
    scopes: { complete: 0, incomplete: 0 },
    removedAssets: 0,
    removedFindings: 0,
  };
  const scopeOf = new Map<string, string>();
  for (const scope of scan.scopes ?? []) for (const id of scope.assetIds) scopeOf.set(id, scope.key);
  const findingsByAsset = new Map<string, ScanResult['findings']>();
  for (const f of scan.findings) {
    const list = findingsByAsset.get(f.assetId);
    if (list) list.push(f);
    else findingsByAsset.set(f.assetId, [f]);
  }
  const outcomesByAsset = new Map(scan.outcomes.map((o) => [o.assetId, o]));
  const rules = new Map(scan.rules.map((r) => [r.id, r]));
  for (const asset of scan.assets) {
    const scope = scopeOf.get(asset.id);
    const summary = await recordScan(
      store,
      {
        assetId: asset.id,
        contentHash: contentHashIn(scan, asset),
        policyBundleDigest: policyDigest,
        asset: { id: asset.id, account: asset.account, region: asset.region, tags: asset.tags },
        scanId: scan.scanId,
        findings: findingsByAsset.get(asset.id) ?? [],
        // A rule that does not apply, or could not judge, cannot have resolved anything on it.
        evaluatedRules: judgedRules(outcomesByAsset.get(asset.id), rules),
        ...(scope !== undefined ? { scope } : {}),
      },
      options,
    );
    if (summary.duplicate) outcome.duplicates += 1;
    else outcome.recorded += 1;
    const { unchanged: _unchanged, ...changes } = summary.transitions;
    outcome.transitions += Object.values(changes).reduce((a, b) => a + b, 0);
    outcome.opened += changes.opened;
    outcome.reopened += changes.reopened;
    outcome.resolved += changes.resolved;
    outcome.intents += summary.intents;
  }
  for (const scope of scan.scopes ?? []) {
    if (!scope.complete) {
      outcome.scopes.incomplete += 1;
      continue;
    }
    outcome.scopes.complete += 1;
    const removed = await resolveMissingAssets(store, { scope: scope.key, present: new Set(scope.assetIds), scanId: scan.scanId }, options);
    outcome.removedAssets += removed.assets.length;
    outcome.removedFindings += removed.resolved;
    outcome.transitions += removed.resolved;
    outcome.resolved += removed.resolved;
    outcome.intents += removed.intents;
  }
  return outcome;
}
