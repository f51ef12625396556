// Compliance scores from one scan: per control, per framework, and the same per cloud and per
// account/subscription/project. The formula is stated once here and printed in every report:
//
//   Each (rule, asset) pair has an outcome (core/outcomes.ts): pass, fail, not applicable, not
//   evaluated or manual. For a control, take the rules evidencing it (preview rules left out) and the
//   assets in the framework's scope:
//     the asset FAILS the control when one of those rules failed on it;
//     it PASSES when every one of those rules that applies to it passed;
//     it is NOT EVALUATED when none failed and some applied but could not judge (or need a person);
//     it is NOT APPLICABLE when none of the rules applies to it.
//     control score   = passed ÷ (passed + failed)        (nobody passed or failed → "not assessed")
//     framework score = mean of the scores of its assessed controls (each control weighs the same)
//   Manual controls (no rule evidences them) are listed and never counted as passed; controls with
//   rules but no passed or failed asset in scope are "not assessed" and left out of the mean.
import type { Asset } from './asset.ts';
import { facetsOf, selectorMatches } from './applicability.ts';
import type { Finding } from './finding.ts';
import { FrameworkError, type Framework, type Frameworks } from './frameworks.ts';
import type { AssetOutcomes } from './outcomes.ts';
import type { CatalogRule } from '../policies/catalog.ts';

export const scoringFormula =
  'each (rule, asset) pair is pass, fail, not applicable, not evaluated or manual, and only pass and fail count. ' +
  "An asset in the framework's scope fails a control when a rule evidencing it failed, passes when every such rule that applies to it passed, and is not evaluated when none failed but one could not judge; " +
  'control score = passed assets ÷ (passed + failed assets), "not assessed" when there are none; framework score = mean of its assessed controls (equal weight). ' +
  'Preview rules are left out. Manual controls (no rule) are listed, never counted as passed; not-assessed controls are left out of the mean.';

export type ControlStatus = 'pass' | 'fail' | 'not-assessed' | 'manual';

export interface ControlScore {
  id: string;
  title: string;
  manual: boolean;
  status: ControlStatus;
  /** Rules evidencing the control that this scan ran and that count (preview rules are not here). */
  rules: string[];
  /** Rules evidencing the control that are in preview: they ran, but do not count. */
  preview: string[];
  /** Assets that passed or failed the control. */
  assessed: number;
  passed: number;
  /** Assets the control's rules apply to but could not judge (input missing, collection error, partial image, manual). */
  notEvaluated: number;
  /** passed ÷ assessed, or null when no asset in scope was assessed (or the control is manual). */
  score: number | null;
  /** Asset ids that failed, sorted. */
  failingAssets: string[];
  /** Asset ids not evaluated, sorted. */
  notEvaluatedAssets: string[];
}

export interface FrameworkScore {
  id: string;
  name: string;
  version: string;
  mapping: 'verified' | 'unverified';
  /** Mean of assessed controls' scores (0..1), or null when none was assessed. */
  score: number | null;
  controls: ControlScore[];
  /** Assets of the scope that the framework speaks about. */
  assetsInScope: number;
  counts: { controls: number; automated: number; manual: number; assessed: number; fullyPassed: number; notAssessed: number };
}

export type ScopeKind = 'all' | 'cloud' | 'account';

export interface ScopeScores {
  /** `all`, `cloud:aws`, `account:aws:123456789012`. */
  key: string;
  kind: ScopeKind;
  label: string;
  provider?: string;
  account?: string;
  assets: number;
  frameworks: FrameworkScore[];
}

export interface ComplianceScores {
  formula: string;
  /** Framework the report is limited to (`--framework`), if any. */
  framework: string | null;
  all: ScopeScores;
  clouds: ScopeScores[];
  accounts: ScopeScores[];
}

export const accountKey = (asset: Pick<Asset, 'provider' | 'account'>) => `account:${asset.provider}:${asset.account}`;
export const cloudKey = (asset: Pick<Asset, 'provider'>) => `cloud:${asset.provider}`;

/** Per asset, sets for quick lookups; the applicable set is shared by assets with the same applicable list. */
interface AssetVerdicts {
  applicable: ReadonlySet<string>;
  failed: ReadonlySet<string>;
  pending: ReadonlySet<string>;
}

function verdictsOf(all: readonly AssetOutcomes[]): Map<string, AssetVerdicts> {
  const out = new Map<string, AssetVerdicts>();
  const shared = new WeakMap<readonly string[], ReadonlySet<string>>();
  for (const o of all) {
    let applicable = shared.get(o.applicable);
    if (!applicable) shared.set(o.applicable, (applicable = new Set(o.applicable)));
    out.set(o.assetId, { applicable, failed: new Set(o.failed), pending: new Set([...o.manual, ...o.notEvaluated.map((n) => n.ruleId)]) });
  }
  return out;
}

function scoreFramework(fw: Framework, assets: readonly Asset[], verdicts: ReadonlyMap<string, AssetVerdicts>, rules: ReadonlyMap<string, CatalogRule>): FrameworkScore {
  const inScope = fw.assets ? assets.filter((a) => fw.assets!.some((s) => selectorMatches(s, facetsOf(a)))) : assets;
  const controls: ControlScore[] = fw.controls.map((control) => {
    const ran = control.rules.filter((id) => rules.has(id));
    const counted = ran.filter((id) => !rules.get(id)!.preview);
    const failingAssets: string[] = [];
    const notEvaluatedAssets: string[] = [];
    let passed = 0;
    for (const asset of counted.length ? inScope : []) {
      const v = verdicts.get(asset.id);
      if (!v) continue;
      let applies = false;
      let failed = false;
      let pending = false;
      for (const id of counted) {
        if (!v.applicable.has(id)) continue;
        applies = true;
        if (v.failed.has(id)) failed = true;
        else if (v.pending.has(id)) pending = true;
      }
      if (!applies) continue;
      if (failed) failingAssets.push(asset.id);
      else if (pending) notEvaluatedAssets.push(asset.id);
      else passed += 1;
    }
    const assessed = passed + failingAssets.length;
    const score = assessed > 0 ? passed / assessed : null;
    return {
      id: control.id,
      title: control.title,
      manual: control.manual,
      status: control.manual ? 'manual' : score === null ? 'not-assessed' : failingAssets.length ? 'fail' : 'pass',
      rules: counted,
      preview: ran.filter((id) => rules.get(id)!.preview),
      assessed,
      passed,
      notEvaluated: notEvaluatedAssets.length,
      score,
      failingAssets: failingAssets.sort(),
      notEvaluatedAssets: notEvaluatedAssets.sort(),
    };
  });
  const scored = controls.filter((c) => c.score !== null);
  const automated = controls.filter((c) => !c.manual).length;
  return {
    id: fw.id,
    name: fw.name,
    version: fw.version,
    mapping: fw.mapping,
    score: scored.length ? scored.reduce((sum, c) => sum + (c.score ?? 0), 0) / scored.length : null,
    controls,
    assetsInScope: inScope.length,
    counts: {
      controls: controls.length,
      automated,
      manual: controls.length - automated,
      assessed: scored.length,
      fullyPassed: scored.filter((c) => c.score === 1).length,
      notAssessed: automated - scored.length,
    },
  };
}

export interface ScoreInput {
  assets: readonly Asset[];
  findings: readonly Finding[];
  /** Rules the scan evaluated. */
  rules: readonly CatalogRule[];
  /** Outcome of every (rule, asset) pair (ScanResult.outcomes); an asset without outcomes is not assessed. */
  outcomes: readonly AssetOutcomes[];
}

/** Scores every framework (or only `framework`) for the whole scan, each cloud and each account. */
export function computeScores(input: ScoreInput, frameworks: Frameworks, framework?: string): ComplianceScores {
  if (framework && !frameworks.has(framework)) {
    throw new FrameworkError(`unknown framework "${framework}"; known: ${[...frameworks.keys()].join(', ')}`);
  }
  const selected = [...frameworks.values()].filter((fw) => !framework || fw.id === framework);
  const rules = new Map(input.rules.map((r) => [r.id, r]));
  const verdicts = verdictsOf(input.outcomes);
  const scope = (key: string, kind: ScopeKind, label: string, assets: readonly Asset[], extra: Partial<ScopeScores> = {}): ScopeScores => ({
    key,
    kind,
    label,
    ...extra,
    assets: assets.length,
    frameworks: selected.map((fw) => scoreFramework(fw, assets, verdicts, rules)),
  });
  const group = (keyOf: (a: Asset) => string) => {
    const groups = new Map<string, Asset[]>();
    for (const a of input.assets) {
      const list = groups.get(keyOf(a));
      if (list) list.push(a);
      else groups.set(keyOf(a), [a]);
    }
    return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  return {
    formula: scoringFormula,
    framework: framework ?? null,
    all: scope('all', 'all', 'All assets', input.assets),
    clouds: group(cloudKey).map(([key, assets]) => scope(key, 'cloud', assets[0]!.provider, assets, { provider: assets[0]!.provider })),
    accounts: group(accountKey).map(([key, assets]) =>
      scope(key, 'account', `${assets[0]!.provider} ${assets[0]!.account || '(no account)'}`, assets, { provider: assets[0]!.provider, account: assets[0]!.account }),
    ),
  };
}

/** A score as a percentage with one decimal, or "n/a". */
export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${(Math.round(score * 1000) / 10).toFixed(1)}%`;
}
