// The outcome of every (rule, asset) pair of a scan:
//   pass            the rule applies, its inputs were there, it found nothing
//   fail            the rule reported at least one finding on the asset
//   not-applicable  the rule does not judge this kind of asset (or this provider, distribution, service, platform),
//                   or the rule itself says this asset is outside what it judges, and why (`excluded`)
//   not-evaluated   the rule applies but could not judge: a required input is absent, its collection
//                   failed, the image was only partly analyzed, or evaluation itself failed
//   manual          the rule applies and says a person has to judge it
// Only pass and fail count in scores. A finding beats a gap: what a rule found on partial input is real.
//
// Stored compactly for large scans (10,000 assets × 100 rules): per asset, the applicable rule ids are
// one array shared by every asset with the same facets, plus the (short) lists of failed, not-evaluated
// and manual rule ids. Passes and not-applicable pairs are derived, never stored, except the few a rule
// excludes on one asset (`excluded`, with the reason), for which the asset gets its own applicable list.
import { z } from 'zod';
import type { Asset } from './asset.ts';
import { facetKey, facetsOf, inputPresent, requirementParts, ruleApplies, selectorMatches, type Facets } from './applicability.ts';
import type { CatalogRule, Requirement } from '../policies/catalog.ts';

export const outcomeValues = ['pass', 'fail', 'not-applicable', 'not-evaluated', 'manual'] as const;
export const Outcome = z.enum(outcomeValues);
export type Outcome = z.infer<typeof Outcome>;

export const NotEvaluatedReason = z.enum(['input-missing', 'collection-error', 'partial-coverage', 'evaluation-error']);
export type NotEvaluatedReason = z.infer<typeof NotEvaluatedReason>;

export const NotEvaluated = z.object({ ruleId: z.string(), reason: NotEvaluatedReason, detail: z.string() });
export type NotEvaluated = z.infer<typeof NotEvaluated>;

/** A pair the rule declared not applicable to this one asset (kind and facets matched), with its reason. */
export const Excluded = z.object({ ruleId: z.string(), reason: z.string() });
export type Excluded = z.infer<typeof Excluded>;

export const AssetOutcomes = z.object({
  assetId: z.string(),
  /** Rules that apply to the asset (shared between assets with the same facets; do not mutate). */
  applicable: z.array(z.string()).readonly(),
  failed: z.array(z.string()).readonly(),
  notEvaluated: z.array(NotEvaluated).readonly(),
  manual: z.array(z.string()).readonly(),
  /** Rules of the asset's facets that declared this asset outside what they judge (not in `applicable`). */
  excluded: z.array(Excluded).readonly().optional(),
});
export type AssetOutcomes = z.infer<typeof AssetOutcomes>;

export type OutcomeCounts = Record<Outcome, number>;
export const emptyCounts = (): OutcomeCounts => ({ pass: 0, fail: 0, 'not-applicable': 0, 'not-evaluated': 0, manual: 0 });

/**
 * Inputs that can be present and still incomplete. Each entry: inputs under `prefix` are judged
 * incomplete on an asset when `gap` says why. Image contents are partial when layer analysis stopped, and
 * so are the vulnerability matches made from their packages (a package in an unread layer was never matched).
 */
const imageAnalysisGap = (asset: Asset): string | null =>
  asset.kind === 'image' && asset.image.scanErrors.length > 0 ? `image analysis incomplete: ${[...new Set(asset.image.scanErrors.map((e) => e.code))].join(', ')}` : null;
const coverageGaps: { prefix: string; gap: (asset: Asset) => string | null }[] = [
  { prefix: 'image.contents', gap: imageAnalysisGap },
  { prefix: 'image.vulnerabilities', gap: imageAnalysisGap },
];

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`);

/** Why a rule could not judge the asset, or null when every required input is there. */
export function inputGap(asset: Asset, requires: readonly Requirement[]): Omit<NotEvaluated, 'ruleId'> | null {
  let facets: Facets | undefined;
  for (const requirement of requires) {
    const { input: path, where } = requirementParts(requirement);
    if (where && !selectorMatches(where, (facets ??= facetsOf(asset)))) continue;
    const failed = (asset.collectionErrors ?? []).find((e) => under(path, e.input) || under(e.input, path));
    if (failed) return { reason: 'collection-error', detail: `${failed.input}: ${failed.message}` };
    for (const g of coverageGaps) {
      if (!under(path, g.prefix)) continue;
      const gap = g.gap(asset);
      if (gap) return { reason: 'partial-coverage', detail: gap };
    }
    if (!inputPresent(asset, path)) return { reason: 'input-missing', detail: `${path} was not collected` };
  }
  return null;
}

/** Decides outcomes for the rules of one catalog; caches the applicable rules per facet combination. */
export class OutcomeJudge {
  private readonly applicableByFacets = new Map<string, readonly CatalogRule[]>();
  private readonly idsByFacets = new Map<string, readonly string[]>();

  constructor(private readonly rules: readonly CatalogRule[]) {}

  applicableRules(asset: Asset): readonly CatalogRule[] {
    const facets = facetsOf(asset);
    const key = facetKey(facets);
    let rules = this.applicableByFacets.get(key);
    if (!rules) {
      rules = this.rules.filter((r) => ruleApplies(r, facets));
      this.applicableByFacets.set(key, rules);
      this.idsByFacets.set(key, rules.map((r) => r.id));
    }
    return rules;
  }

  /**
   * `failed` and `manual`: rule ids that reported a finding / a manual verdict on the asset.
   * `evaluationError`: the engine could not evaluate the asset at all.
   * `excluded`: rule id → why the rule says this asset is outside what it judges. A finding beats it.
   */
  judge(asset: Asset, failed: ReadonlySet<string>, manual: ReadonlySet<string> = new Set(), evaluationError?: string, excluded: ReadonlyMap<string, string> = new Map()): AssetOutcomes {
    const rules = this.applicableRules(asset);
    const shared = this.idsByFacets.get(facetKey(facetsOf(asset)))!;
    const dropped = new Set(evaluationError === undefined ? rules.filter((r) => excluded.has(r.id) && !failed.has(r.id)).map((r) => r.id) : []);
    const out = { failed: [] as string[], notEvaluated: [] as NotEvaluated[], manual: [] as string[] };
    for (const rule of rules) {
      if (dropped.has(rule.id)) continue;
      if (evaluationError !== undefined) out.notEvaluated.push({ ruleId: rule.id, reason: 'evaluation-error', detail: evaluationError });
      else if (failed.has(rule.id)) out.failed.push(rule.id);
      else if (manual.has(rule.id)) out.manual.push(rule.id);
      else {
        const gap = inputGap(asset, rule.requires);
        if (gap) out.notEvaluated.push({ ruleId: rule.id, ...gap });
      }
    }
    if (!dropped.size) return { assetId: asset.id, applicable: shared, ...out };
    // This asset leaves rules out of its facets' shared list, so it gets a list of its own.
    const applicable = shared.filter((id) => !dropped.has(id));
    return { assetId: asset.id, applicable, ...out, excluded: [...dropped].map((ruleId) => ({ ruleId, reason: excluded.get(ruleId)! })) };
  }
}

/** The outcome of one pair. */
export function outcomeOf(o: AssetOutcomes, ruleId: string): Outcome {
  if (o.failed.includes(ruleId)) return 'fail';
  if (o.manual.includes(ruleId)) return 'manual';
  if (o.notEvaluated.some((n) => n.ruleId === ruleId)) return 'not-evaluated';
  return o.applicable.includes(ruleId) ? 'pass' : 'not-applicable';
}

/** Outcome of every applicable rule on the asset (not-applicable rules are left out). */
export function applicableOutcomes(o: AssetOutcomes): Map<string, Outcome> {
  const map = new Map<string, Outcome>(o.applicable.map((id) => [id, 'pass']));
  for (const id of o.failed) map.set(id, 'fail');
  for (const id of o.manual) map.set(id, 'manual');
  for (const n of o.notEvaluated) map.set(n.ruleId, 'not-evaluated');
  return map;
}

/** Counts of every outcome over the scan; `rules` is the catalog the scan ran (for not-applicable). */
export function countOutcomes(all: readonly AssetOutcomes[], rules: readonly Pick<CatalogRule, 'id'>[]): OutcomeCounts {
  const counts = emptyCounts();
  const known = new Set(rules.map((r) => r.id));
  for (const o of all) {
    const applicable = o.applicable.filter((id) => known.has(id)).length;
    const fail = o.failed.filter((id) => known.has(id)).length;
    const manual = o.manual.filter((id) => known.has(id)).length;
    const notEvaluated = o.notEvaluated.filter((n) => known.has(n.ruleId)).length;
    counts.fail += fail;
    counts.manual += manual;
    counts['not-evaluated'] += notEvaluated;
    counts.pass += applicable - fail - manual - notEvaluated;
    counts['not-applicable'] += known.size - applicable;
  }
  return counts;
}

/** Keeps only the given rules' outcomes (what `--framework` narrows a scan to); shared lists stay shared. */
export function limitOutcomes(o: AssetOutcomes, keep: ReadonlySet<string>, shared = new WeakMap<readonly string[], readonly string[]>()): AssetOutcomes {
  let applicable = shared.get(o.applicable);
  if (!applicable) shared.set(o.applicable, (applicable = o.applicable.filter((id) => keep.has(id))));
  return {
    assetId: o.assetId,
    applicable,
    failed: o.failed.filter((id) => keep.has(id)),
    notEvaluated: o.notEvaluated.filter((n) => keep.has(n.ruleId)),
    manual: o.manual.filter((id) => keep.has(id)),
    ...(o.excluded ? { excluded: o.excluded.filter((e) => keep.has(e.ruleId)) } : {}),
  };
}

export const reasonText: Record<NotEvaluatedReason, string> = {
  'input-missing': 'a required input was not collected',
  'collection-error': 'collecting a required input failed',
  'partial-coverage': 'the input was only partly analyzed',
  'evaluation-error': 'the policy engine could not evaluate the asset',
};

/** One (rule, asset) pair that did not end in pass or fail, for the reports that list them. */
export interface UnjudgedPair {
  assetId: string;
  ruleId: string;
  outcome: 'not-evaluated' | 'manual';
  reason: string;
  detail: string;
}

/** Every not-evaluated and manual pair of the scan, by asset then rule. */
export function unjudgedPairs(result: { outcomes: readonly AssetOutcomes[] }): UnjudgedPair[] {
  const pairs: UnjudgedPair[] = [];
  for (const o of result.outcomes) {
    for (const n of o.notEvaluated) pairs.push({ assetId: o.assetId, ruleId: n.ruleId, outcome: 'not-evaluated', reason: n.reason, detail: n.detail });
    for (const id of o.manual) pairs.push({ assetId: o.assetId, ruleId: id, outcome: 'manual', reason: 'manual', detail: 'the rule says a person has to judge this' });
  }
  return pairs.sort((a, b) => a.assetId.localeCompare(b.assetId) || a.ruleId.localeCompare(b.ruleId));
}

/** Pairs a rule declared not applicable to one asset of the kind it judges (NS-001 on kube-system), with why. */
export function excludedPairs(result: { outcomes: readonly AssetOutcomes[] }): { assetId: string; ruleId: string; reason: string }[] {
  return result.outcomes
    .flatMap((o) => (o.excluded ?? []).map((e) => ({ assetId: o.assetId, ruleId: e.ruleId, reason: e.reason })))
    .sort((a, b) => a.assetId.localeCompare(b.assetId) || a.ruleId.localeCompare(b.ruleId));
}
