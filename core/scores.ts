// Compliance scores from one scan: per control, per framework, and the same per cloud and per
// account/subscription/project. The formula is stated once here and printed in every report:
//
//   An asset is ASSESSED by a control when at least one rule evidencing the control judges the
//   asset's kind (and was evaluated in this scan). It PASSES the control when none of those rules
//   reported a finding on it.
//     control score   = passed assessed assets ÷ assessed assets        (none assessed → not assessed)
//     framework score = mean of the scores of its assessed automated controls (each control weighs the same)
//   Manual controls (no rule evidences them) are listed and never counted as passed; controls
//   with rules but no assessed asset in scope are "not assessed" and left out of the mean.
import type { Asset, AssetKind } from './asset.ts';
import type { Finding } from './finding.ts';
import { FrameworkError, type Framework, type Frameworks } from './frameworks.ts';
import type { CatalogRule } from '../policies/catalog.ts';

export const scoringFormula =
  'control score = passed assets ÷ assessed assets, where an asset is assessed by a control when a rule evidencing the control judges its kind, and passes when none of those rules found anything on it; ' +
  'framework score = mean of its assessed automated controls (equal weight). Manual controls (no rule) are listed, never counted as passed; controls with no assessed asset in scope are left out.';

export interface ControlScore {
  id: string;
  title: string;
  manual: boolean;
  /** Rules evidencing the control that this scan evaluated. */
  rules: string[];
  assessed: number;
  passed: number;
  /** passed ÷ assessed, or null when no asset in scope was assessed (or the control is manual). */
  score: number | null;
  /** Asset ids that failed, sorted. */
  failingAssets: string[];
}

export interface FrameworkScore {
  id: string;
  name: string;
  version: string;
  mapping: 'verified' | 'unverified';
  /** Mean of assessed controls' scores (0..1), or null when none was assessed. */
  score: number | null;
  controls: ControlScore[];
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

function scoreFramework(fw: Framework, assets: readonly Asset[], failing: ReadonlyMap<string, ReadonlySet<string>>, rules: ReadonlyMap<string, CatalogRule>): FrameworkScore {
  const controls: ControlScore[] = fw.controls.map((control) => {
    const evaluated = control.rules.filter((id) => rules.has(id));
    const kinds = new Set<AssetKind>(evaluated.flatMap((id) => rules.get(id)!.kind));
    let assessed = 0;
    const failingAssets: string[] = [];
    for (const asset of assets) {
      if (!kinds.has(asset.kind)) continue;
      const applicable = evaluated.filter((id) => rules.get(id)!.kind.includes(asset.kind));
      if (applicable.length === 0) continue;
      assessed += 1;
      const failed = failing.get(asset.id);
      if (failed && applicable.some((id) => failed.has(id))) failingAssets.push(asset.id);
    }
    const passed = assessed - failingAssets.length;
    return {
      id: control.id,
      title: control.title,
      manual: control.manual,
      rules: evaluated,
      assessed,
      passed,
      score: assessed > 0 ? passed / assessed : null,
      failingAssets: failingAssets.sort(),
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
}

/** Scores every framework (or only `framework`) for the whole scan, each cloud and each account. */
export function computeScores(input: ScoreInput, frameworks: Frameworks, framework?: string): ComplianceScores {
  if (framework && !frameworks.has(framework)) {
    throw new FrameworkError(`unknown framework "${framework}"; known: ${[...frameworks.keys()].join(', ')}`);
  }
  const selected = [...frameworks.values()].filter((fw) => !framework || fw.id === framework);
  const rules = new Map(input.rules.map((r) => [r.id, r]));
  const failing = new Map<string, Set<string>>();
  for (const f of input.findings) {
    let set = failing.get(f.assetId);
    if (!set) failing.set(f.assetId, (set = new Set()));
    set.add(f.ruleId);
  }
  const scope = (key: string, kind: ScopeKind, label: string, assets: readonly Asset[], extra: Partial<ScopeScores> = {}): ScopeScores => ({
    key,
    kind,
    label,
    ...extra,
    assets: assets.length,
    frameworks: selected.map((fw) => scoreFramework(fw, assets, failing, rules)),
  });
  const group = (keyOf: (a: Asset) => string) => {
    const groups = new Map<string, Asset[]>();
    for (const a of input.assets) groups.set(keyOf(a), [...(groups.get(keyOf(a)) ?? []), a]);
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
