// Evaluates assets against the compiled Wasm bundle, in-process. The bundle is loaded once per
// process (Lambda cold start or CLI run); config is set as Rego `data.config` per engine.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadPolicy, type LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { z } from 'zod';
import type { Asset } from '../core/asset.ts';
import { policyData, type Config } from '../core/config.ts';
import { evidenceHashOf, fingerprintOf, type Finding } from '../core/finding.ts';
import { Catalog, type CatalogRule } from './catalog.ts';
import { hostBuiltins } from './host-builtins.ts';
import { distDir, entrypoint } from './layout.ts';

const RawFinding = z.object({
  rule: z.string(),
  msg: z.string(),
  path: z.string(),
  evidence: z.unknown(),
});
const EvalResult = z.array(z.object({ result: z.array(RawFinding) }));

const Manifest = z.object({ bundleDigest: z.string(), rules: z.number() });

interface Bundle {
  wasm: Buffer;
  data: Record<string, unknown>;
  catalog: Catalog;
  digest: string;
}

const bundles = new Map<string, Promise<Bundle>>();

async function readBundle(dir: string): Promise<Bundle> {
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
  return {
    wasm,
    data: JSON.parse(data.toString('utf8')) as Record<string, unknown>,
    catalog: Catalog.parse(JSON.parse(catalog.toString('utf8'))),
    digest: Manifest.parse(JSON.parse(manifest.toString('utf8'))).bundleDigest,
  };
}

export interface EngineOptions {
  config: Config;
  dist?: string;
  /** Reference time for age-based rules; fixed in tests so results are reproducible. */
  now?: Date;
}

export class Engine {
  private constructor(
    private readonly policy: LoadedPolicy,
    readonly catalog: Catalog,
    readonly bundleDigest: string,
    private readonly byPackage: Map<string, CatalogRule>,
  ) {}

  static async load(options: EngineOptions): Promise<Engine> {
    const dir = options.dist ?? distDir;
    let pending = bundles.get(dir);
    if (!pending) {
      pending = readBundle(dir);
      bundles.set(dir, pending);
      pending.catch(() => bundles.delete(dir));
    }
    const bundle = await pending;
    // Each engine gets its own instance: data is per-config, and instances are cheap once compiled.
    const policy = await loadPolicy(bundle.wasm, { initial: 64 }, hostBuiltins);
    const now = (options.now ?? new Date()).toISOString();
    policy.setData({ ...bundle.data, config: policyData(options.config), runtime: { now } });
    // --framework is applied to scan results (core/frameworks.ts), where crosswalk frameworks resolve too.
    const rules = bundle.catalog;
    return new Engine(policy, rules, bundle.digest, new Map(rules.map((r) => [r.package, r])));
  }

  evaluate(asset: Asset): Finding[] {
    const parsed = EvalResult.safeParse(this.policy.evaluate(asset, entrypoint));
    if (!parsed.success) throw new Error(`policy output for ${asset.id} broke the contract: ${z.prettifyError(parsed.error)}`);
    const findings: Finding[] = [];
    for (const raw of parsed.data[0]?.result ?? []) {
      const rule = this.byPackage.get(raw.rule);
      // The catalog is built from the same sources as the bundle; a stranger means a stale build.
      if (!rule) throw new Error(`rule package ${raw.rule} is in the policy bundle but not in its catalog: rebuild with \`npm run build:policies\``);
      findings.push({
        fingerprint: fingerprintOf(asset.id, rule.id, raw.path),
        ruleId: rule.id,
        title: rule.title,
        severity: rule.severity,
        frameworks: rule.frameworks,
        unverified: rule.unverified,
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
    return findings.sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.path.localeCompare(b.path));
  }

  evaluateAll(assets: readonly Asset[]): Finding[] {
    return assets.flatMap((asset) => this.evaluate(asset));
  }

  /** Rules that apply to an asset kind: what "assessed" means for scores and coverage. */
  rulesFor(kind: Asset['kind']): CatalogRule[] {
    return this.catalog.filter((r) => r.kind.includes(kind));
  }
}
