// Evaluates assets against the compiled Wasm bundle, in-process. The bundle is loaded once per
// process (Lambda cold start or CLI run); config is set as Rego `data.config` per engine.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Severity } from './catalog.ts';
import type { Asset } from '../core/asset.ts';
import { facetKey, facetsOf, selectorMatches, type Facets } from '../core/applicability.ts';
import { policyData, type Config } from '../core/config.ts';
import { evidenceHashOf, fingerprintOf, type Finding } from '../core/finding.ts';
import { OutcomeJudge, type AssetOutcomes } from '../core/outcomes.ts';
import { Catalog, type CatalogRule } from './catalog.ts';
import { distDir, entrypoint, policiesDir } from './layout.ts';
import { compilePolicyModule, type CacheStatus } from './wasm-cache.mjs';
import { PolicyInstance } from './wasm-host.ts';

const RawFinding = z.object({
  rule: z.string(),
  msg: z.string(),
  path: z.string(),
  evidence: z.unknown(),
  /**
   * `manual`: the rule says a person has to judge this place (no finding is raised).
   * `not-applicable`: the rule says this asset is outside what it judges; `msg` is why.
   */
  outcome: z.enum(['fail', 'manual', 'not-applicable']),
  /**
   * The path the same problem had under the rule's alias that judged this asset before (default: `path`),
   * or several when the merged rule reports in one place what the earlier rule reported in one of several.
   */
  aliasPath: z.union([z.string(), z.array(z.string()).min(1)]).nullable(),
  /** Set by a rule whose findings differ in weight (IMG-003: one per vulnerability) or whose severity is
   *  configuration (IMG-014: data.config), else null: the catalog's severity applies. */
  severity: Severity.nullish(),
});
const EvalResult = z.array(z.object({ result: z.array(RawFinding) }));
type EvalResult = z.infer<typeof EvalResult>;

const outcomeNames: ReadonlySet<unknown> = new Set(RawFinding.shape.outcome.options);
const severityNames: ReadonlySet<unknown> = new Set(Severity.options);
const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * The output contract (EvalResult) checked by hand: what it accepts, EvalResult accepts too. Every evaluation's
 * output passes through here, and zod building a parsed copy of every finding was a tenth of the JavaScript
 * work per asset; output this does not accept goes to EvalResult, which decides and says what is wrong.
 */
function plainlyValid(output: unknown): output is EvalResult {
  if (!Array.isArray(output)) return false;
  for (const entry of output) {
    if (entry === null || typeof entry !== 'object' || !Array.isArray((entry as { result?: unknown }).result)) return false;
    for (const raw of (entry as { result: unknown[] }).result) {
      if (raw === null || typeof raw !== 'object') return false;
      const r = raw as Record<string, unknown>;
      if (!isString(r.rule) || !isString(r.msg) || !isString(r.path) || !outcomeNames.has(r.outcome)) return false;
      const alias = r.aliasPath;
      if (!(alias === null || isString(alias) || (Array.isArray(alias) && alias.length > 0 && alias.every(isString)))) return false;
      if (!(r.severity === null || r.severity === undefined || severityNames.has(r.severity))) return false;
    }
  }
  return true;
}

function parseOutput(output: unknown, assetId: string): EvalResult {
  if (plainlyValid(output)) return output;
  const parsed = EvalResult.safeParse(output);
  if (!parsed.success) throw new Error(`policy output for ${assetId} broke the contract: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const Manifest = z.object({ bundleDigest: z.string(), rules: z.number() });

interface Bundle {
  /** Compiled once per process; every engine instantiates it (instances are cheap, compiling is not). */
  module: WebAssembly.Module;
  data: Record<string, unknown>;
  catalog: Catalog;
  digest: string;
  /** Where the compiled module came from (the per-user cache, policies/wasm-cache.mjs, or a compile) and how long that took. */
  compiled: { cache: CacheStatus; ms: number };
}

const bundles = new Map<string, Promise<Bundle>>();

async function readBundle(dir: string, compileCache: boolean): Promise<Bundle> {
  const read = async (name: string) => {
    try {
      return await readFile(path.join(dir, name));
    } catch {
      throw new Error(`policy bundle incomplete: ${path.join(dir, name)} is missing (run \`npm run build:policies\`)`);
    }
  };
  // In order, so a missing bundle is always reported by its first file (once per process; the cost is nil).
  const wasm = await read('policy.wasm');
  const data = await read('data.json');
  const catalog = await read('catalog.json');
  const manifest = await read('manifest.json');
  const started = performance.now();
  const { module, cache } = compileCache
    ? await compilePolicyModule(wasm, { wasmFile: path.join(dir, 'policy.wasm'), writer: path.join(policiesDir, 'wasm-cache.mjs') })
    : { module: await compileHere(wasm), cache: 'off' as const };
  const compiled = { cache, ms: performance.now() - started };
  return {
    module: await warm(module),
    compiled,
    data: JSON.parse(data.toString('utf8')) as Record<string, unknown>,
    catalog: Catalog.parse(JSON.parse(catalog.toString('utf8'))),
    digest: Manifest.parse(JSON.parse(manifest.toString('utf8'))).bundleDigest,
  };
}

function compileHere(wasm: Buffer): Promise<WebAssembly.Module> {
  // The WebAssembly global is typed only as a namespace without the DOM library.
  return (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly.compile(wasm);
}

/**
 * Runs the compiled module once on an empty input. V8 compiles Wasm functions lazily, on their first call;
 * the entrypoint that gathers every rule package's violations is one very large function whose compilation
 * briefly needs a lot of memory. Calling it here, while the process is small, keeps that peak from stacking
 * on an image analysis's working set (the CLI and the worker load the engine before collecting); the
 * compiled code stays with the module, shared by every instance.
 */
async function warm(module: WebAssembly.Module): Promise<WebAssembly.Module> {
  const probe = await PolicyInstance.instantiate(module);
  probe.setData({});
  probe.evaluate({}, entrypoint);
  return module;
}

export interface EngineOptions {
  config: Config;
  dist?: string;
  /** Reference time for age-based rules; fixed in tests so results are reproducible. */
  now?: Date;
  /**
   * Take the compiled module from the per-user cache and fill it (the CLI: one short process per run).
   * Decided by the first engine loaded from a bundle directory in a process.
   */
  compileCache?: boolean;
}

/** A rule's framework mapping as it applies to one asset: frameworks limited to other assets are left out. */
function frameworksFor(rule: CatalogRule, facets: Facets): Pick<Finding, 'frameworks' | 'unverified'> {
  const frameworks: Record<string, string[]> = {};
  for (const [fw, controls] of Object.entries(rule.frameworks)) {
    const scope = rule.scopes[fw as keyof typeof rule.scopes];
    if (controls && (!scope || scope.some((s) => selectorMatches(s, facets)))) frameworks[fw] = controls;
  }
  return { frameworks, unverified: rule.unverified.filter((fw) => fw in frameworks) };
}

/** The rule's earlier ids that judged assets like this one (a scoped alias only where its scope matches). */
function aliasesFor(rule: CatalogRule, facets: Facets): string[] {
  return rule.aliases.filter((alias) => {
    const scope = rule.aliasScopes[alias];
    return !scope || selectorMatches(scope, facets);
  });
}

/** What a rule says about assets with one set of facets: the same for every finding on every such asset. */
interface RuleOnFacets {
  frameworks: Pick<Finding, 'frameworks' | 'unverified'>;
  aliases: readonly string[];
}

/** What a finding was called before its rule was renamed or merged: its aliases and the fingerprints it had under them. */
function earlierIdentity(aliases: readonly string[], assetId: string, raw: z.infer<typeof RawFinding>): Pick<Finding, 'aliases' | 'previousFingerprints'> {
  if (!aliases.length) return {};
  const paths = raw.aliasPath === null ? [raw.path] : typeof raw.aliasPath === 'string' ? [raw.aliasPath] : raw.aliasPath;
  return { aliases: [...aliases], previousFingerprints: aliases.flatMap((alias) => paths.map((p) => fingerprintOf(assetId, alias, p))) };
}

export interface Assessment {
  findings: Finding[];
  outcomes: AssetOutcomes;
}

export class Engine {
  private readonly judge: OutcomeJudge;
  /** Rule package → facet key → its frameworks and aliases there (a few dozen facet combinations exist). */
  private readonly onFacets = new Map<string, Map<string, RuleOnFacets>>();

  private constructor(
    private readonly policy: PolicyInstance,
    readonly catalog: Catalog,
    readonly bundleDigest: string,
    private readonly byPackage: Map<string, CatalogRule>,
    /** How this process obtained the compiled policy module. */
    readonly compiled: Bundle['compiled'],
  ) {
    this.judge = new OutcomeJudge(catalog);
  }

  static async load(options: EngineOptions): Promise<Engine> {
    const dir = options.dist ?? distDir;
    let pending = bundles.get(dir);
    if (!pending) {
      pending = readBundle(dir, options.compileCache ?? false);
      bundles.set(dir, pending);
      pending.catch(() => bundles.delete(dir));
    }
    const bundle = await pending;
    // Each engine gets its own instance: data is per-config, and instances are cheap once compiled.
    const policy = await PolicyInstance.instantiate(bundle.module);
    const now = (options.now ?? new Date()).toISOString();
    policy.setData({ ...bundle.data, config: policyData(options.config), runtime: { now } });
    // --framework is applied to scan results (core/frameworks.ts), where crosswalk frameworks resolve too.
    const rules = bundle.catalog;
    return new Engine(policy, rules, bundle.digest, new Map(rules.map((r) => [r.package, r])), bundle.compiled);
  }

  /**
   * The rule's framework mapping and aliases on assets with these facets, worked out once per combination:
   * they depend on the facets alone, and working them out per finding was about a tenth of a many-finding
   * asset's evaluation. Frozen, because every finding on such assets shares them.
   */
  private ruleOn(rule: CatalogRule, facets: Facets, key: string): RuleOnFacets {
    let byKey = this.onFacets.get(rule.package);
    if (!byKey) this.onFacets.set(rule.package, (byKey = new Map()));
    let known = byKey.get(key);
    if (!known) {
      const { frameworks, unverified } = frameworksFor(rule, facets);
      known = Object.freeze({ frameworks: Object.freeze({ frameworks: Object.freeze(frameworks), unverified: Object.freeze(unverified) as string[] }), aliases: Object.freeze(aliasesFor(rule, facets)) });
      byKey.set(key, known);
    }
    return known;
  }

  /** Findings only (see `assess` for the outcome of every rule). */
  evaluate(asset: Asset): Finding[] {
    return this.assess(asset).findings;
  }

  /** Findings and the outcome of every (rule, asset) pair; throws when the policy output breaks the contract. */
  assess(asset: Asset): Assessment {
    const output = parseOutput(this.policy.evaluate(asset, entrypoint), asset.id);
    const facets = facetsOf(asset);
    const key = facetKey(facets);
    const findings: Finding[] = [];
    const manual = new Set<string>();
    const excluded = new Map<string, string>();
    for (const raw of output[0]?.result ?? []) {
      const rule = this.byPackage.get(raw.rule);
      // The catalog is built from the same sources as the bundle; a stranger means a stale build.
      if (!rule) throw new Error(`rule package ${raw.rule} is in the policy bundle but not in its catalog: rebuild with \`npm run build:policies\``);
      if (raw.outcome === 'manual') {
        manual.add(rule.id);
        continue;
      }
      if (raw.outcome === 'not-applicable') {
        excluded.set(rule.id, raw.msg);
        continue;
      }
      const on = this.ruleOn(rule, facets, key);
      findings.push({
        fingerprint: fingerprintOf(asset.id, rule.id, raw.path),
        ...earlierIdentity(on.aliases, asset.id, raw),
        ruleId: rule.id,
        title: rule.title,
        severity: raw.severity ?? rule.severity,
        ...on.frameworks,
        remediation: rule.remediation,
        message: raw.msg,
        path: raw.path,
        evidence: raw.evidence,
        evidenceHash: evidenceHashOf(raw.evidence),
        assetId: asset.id,
        assetKind: asset.kind,
        provider: asset.provider,
        account: asset.account,
        region: asset.region,
      });
    }
    findings.sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.path.localeCompare(b.path));
    return { findings, outcomes: this.judge.judge(asset, new Set(findings.map((f) => f.ruleId)), manual, undefined, excluded) };
  }

  /** Every applicable rule "not evaluated": for an asset the engine could not evaluate at all. */
  unevaluated(asset: Asset, reason: string): AssetOutcomes {
    return this.judge.judge(asset, new Set(), new Set(), reason);
  }

  /** Rules that apply to this asset (kind, provider, distribution, service, platform). */
  rulesFor(asset: Asset): readonly CatalogRule[] {
    return this.judge.applicableRules(asset);
  }
}
