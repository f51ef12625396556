// Compliance frameworks as data: one YAML file per framework version under policies/frameworks,
// listing every control (with or without automated evidence) and the rules that evidence it.
// Crosswalk frameworks (HIPAA, SOX ITGC) name controls of another framework instead of rules,
// so an analyst mapping is written once, as data, and never copied into rule metadata.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { FrameworkId, frameworkIds, Selector, type Catalog } from '../policies/catalog.ts';
import { distDir, policiesDir } from '../policies/layout.ts';
import { facetsOf, selectorMatches } from './applicability.ts';
import type { Asset } from './asset.ts';
import { limitOutcomes, type AssetOutcomes } from './outcomes.ts';

export const frameworksDir = path.join(policiesDir, 'frameworks');
/** A framework file is hand-written data; anything this large is a mistake or hostile. */
export const maxFrameworkFileBytes = 512 * 1024;

const RuleId = z.string().regex(/^[A-Z]+-\d{3}$/, 'a rule id looks like EKS-001');

const ControlEntry = z
  .object({
    id: z.string().min(1).max(64),
    title: z.string().min(1).max(300),
    /** Rules whose findings evidence this control (direct frameworks). */
    rules: z.array(RuleId).optional(),
    /** Controls of the crosswalk target that this control relies on (crosswalk frameworks). */
    via: z.array(z.string().min(1)).optional(),
  })
  .strict();

export const FrameworkFile = z
  .object({
    id: FrameworkId,
    name: z.string().min(1),
    version: z.string().min(1),
    publisher: z.string().min(1),
    source: z.string().min(1),
    scope: z.string().min(1),
    /** `unverified`: an analyst mapping not read in a primary source; reports say so. */
    mapping: z.enum(['verified', 'unverified']),
    /** Framework whose controls `via` names; absent for frameworks mapped by rule metadata. */
    crosswalk: FrameworkId.optional(),
    /**
     * The assets the framework speaks about (any selector matches); others are not applicable to its
     * controls, whatever rule judges them. A CIS EKS control is never evidenced by a GKE cluster.
     * Absent: every asset. A crosswalk takes its target's.
     */
    assets: z.array(Selector).min(1).optional(),
    controls: z.array(ControlEntry).min(1).max(5000),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.controls.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['controls', i, 'id'], message: `control ${c.id} is listed twice` });
      seen.add(c.id);
      if (file.crosswalk && c.rules) ctx.addIssue({ code: 'custom', path: ['controls', i], message: `control ${c.id}: a crosswalk framework names controls in \`via\`, not \`rules\`` });
      if (file.crosswalk && !c.via) ctx.addIssue({ code: 'custom', path: ['controls', i], message: `control ${c.id}: \`via\` is required in a crosswalk framework (use [] for a manual control)` });
      if (!file.crosswalk && c.via) ctx.addIssue({ code: 'custom', path: ['controls', i], message: `control ${c.id}: \`via\` needs a \`crosswalk\` framework` });
    });
    if (file.crosswalk === file.id) ctx.addIssue({ code: 'custom', path: ['crosswalk'], message: 'a framework cannot crosswalk to itself' });
  });
export type FrameworkFile = z.infer<typeof FrameworkFile>;

export interface FrameworkControl {
  id: string;
  title: string;
  /** Rule ids that evidence the control (for crosswalks: those of the controls named in `via`). */
  rules: string[];
  /** Crosswalk target controls, when the framework is a crosswalk. */
  via?: string[];
  /** No rule evidences it: listed in reports, never counted as passed. */
  manual: boolean;
}

export interface Framework extends Omit<FrameworkFile, 'controls'> {
  file: string;
  controls: FrameworkControl[];
}

export type Frameworks = ReadonlyMap<string, Framework>;

export class FrameworkError extends Error {
  override name = 'FrameworkError';
}

interface FrameworkSource {
  file: string;
  text: string;
}

function readFrameworkSource(file: string): FrameworkSource {
  const size = statSync(file).size;
  if (size > maxFrameworkFileBytes) throw new FrameworkError(`framework file ${file} is ${size} bytes; the limit is ${maxFrameworkFileBytes}`);
  return { file, text: readFileSync(file, 'utf8') };
}

function parseFrameworkSource({ file, text }: FrameworkSource): FrameworkFile {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 0 });
  } catch (err) {
    throw new FrameworkError(`framework file ${file} is not valid YAML: ${(err as Error).message}`);
  }
  const parsed = FrameworkFile.safeParse(doc);
  if (!parsed.success) throw new FrameworkError(`framework file ${file} is invalid: ${z.prettifyError(parsed.error)}`);
  const expected = path.basename(file).replace(/\.ya?ml$/, '');
  if (parsed.data.id !== expected) throw new FrameworkError(`framework file ${file} declares id ${parsed.data.id}; the file must be named ${parsed.data.id}.yaml`);
  return parsed.data;
}

/** SHA-256 over the framework files' names and contents: the key of their parsed form in the cache. */
function sourcesDigest(sources: readonly FrameworkSource[]): string {
  const hash = createHash('sha256');
  for (const s of sources) hash.update(path.basename(s.file)).update('\0').update(s.text).update('\0');
  return hash.digest('hex');
}

/**
 * The parsed, validated framework files, written by the policy build beside the bundle. Parsing the YAML
 * costs a CLI run about 0.2 s of CPU; the cache is used only while its digest matches the files as they are.
 */
export const frameworksCacheFile = path.join(distDir, 'frameworks.json');
const FrameworksCache = z.object({ digest: z.string(), files: z.array(z.object({ name: z.string(), framework: z.unknown() })) });

function readCache(cacheFile: string, digest: string): Map<string, FrameworkFile> | undefined {
  let cache: z.infer<typeof FrameworksCache>;
  try {
    cache = FrameworksCache.parse(JSON.parse(readFileSync(cacheFile, 'utf8')));
  } catch {
    return undefined;
  }
  // Written by writeFrameworksCache from files with this very digest, all of which passed FrameworkFile.
  return cache.digest === digest ? new Map(cache.files.map((f) => [f.name, f.framework as FrameworkFile])) : undefined;
}

/** Parses and validates the framework files and records them for loadFrameworks (scripts/build-policies.ts). */
export function writeFrameworksCache(dir: string = frameworksDir, cacheFile: string = frameworksCacheFile): void {
  const sources = readSources(dir);
  const files = sources.map((s) => ({ name: path.basename(s.file), framework: parseFrameworkSource(s) }));
  writeFileSync(cacheFile, JSON.stringify({ digest: sourcesDigest(sources), files }));
}

function readSources(dir: string): FrameworkSource[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    throw new FrameworkError(`cannot read framework directory ${dir}: ${(err as Error).message}`);
  }
  return names.map((n) => readFrameworkSource(path.join(dir, n)));
}

/** Resolves crosswalks (one level: a crosswalk's target must map rules directly). */
export function resolveFrameworks(files: ReadonlyArray<FrameworkFile & { file: string }>): Map<string, Framework> {
  const byId = new Map(files.map((f) => [f.id, f]));
  const resolved = new Map<string, Framework>();
  for (const f of files) {
    let controls: FrameworkControl[];
    if (f.crosswalk) {
      const target = byId.get(f.crosswalk);
      if (!target) throw new FrameworkError(`framework ${f.id} crosswalks to ${f.crosswalk}, which has no framework file`);
      if (target.crosswalk) throw new FrameworkError(`framework ${f.id} crosswalks to ${f.crosswalk}, which is itself a crosswalk`);
      const targetRules = new Map(target.controls.map((c) => [c.id, c.rules ?? []]));
      controls = f.controls.map((c) => {
        const via = c.via ?? [];
        const unknown = via.filter((v) => !targetRules.has(v));
        if (unknown.length) throw new FrameworkError(`framework ${f.id} control ${c.id} names ${unknown.join(', ')}, not controls of ${f.crosswalk}`);
        const rules = [...new Set(via.flatMap((v) => targetRules.get(v) ?? []))].sort();
        return { id: c.id, title: c.title, rules, via, manual: rules.length === 0 };
      });
    } else {
      controls = f.controls.map((c) => {
        const rules = [...(c.rules ?? [])].sort();
        return { id: c.id, title: c.title, rules, manual: rules.length === 0 };
      });
    }
    const { controls: _c, ...meta } = f;
    const assets = f.crosswalk ? byId.get(f.crosswalk)?.assets : f.assets;
    resolved.set(f.id, { ...meta, ...(assets ? { assets } : {}), controls });
  }
  return resolved;
}

/**
 * Loads and validates every framework file; each known framework id must have exactly one. With a cache
 * file (the shipped frameworks), files whose parsed form it holds under the same digest are not parsed again.
 */
export function loadFrameworks(dir: string = frameworksDir, cacheFile?: string): Frameworks {
  const sources = readSources(dir);
  const cache = cacheFile ? readCache(cacheFile, sourcesDigest(sources)) : undefined;
  const files = sources.map((s) => ({ ...(cache?.get(path.basename(s.file)) ?? parseFrameworkSource(s)), file: s.file }));
  const ids = new Set(files.map((f) => f.id));
  const missing = frameworkIds.filter((id) => !ids.has(id));
  if (missing.length) throw new FrameworkError(`no framework file for ${missing.join(', ')} in ${dir}`);
  return resolveFrameworks(files);
}

let cached: Frameworks | undefined;
/** The shipped framework files, read once per process. */
export function defaultFrameworks(): Frameworks {
  cached ??= loadFrameworks(frameworksDir, frameworksCacheFile);
  return cached;
}

/** Every rule id that evidences some control of the framework. */
export function rulesOf(framework: Framework): Set<string> {
  return new Set(framework.controls.flatMap((c) => c.rules));
}

/** The framework by id, or an error that lists the ids there are. */
export function frameworkById(frameworks: Frameworks, id: string): Framework {
  const fw = frameworks.get(id);
  if (!fw) throw new FrameworkError(`unknown framework "${id}"; known: ${[...frameworks.keys()].join(', ')}`);
  return fw;
}

/**
 * Disagreements between rule metadata and framework files, both ways:
 *  - a rule declares (framework, control) and the framework file lacks the control or the rule under it;
 *  - a framework file lists a rule under a control and the rule does not declare that control (or does not exist);
 *  - a crosswalk framework key appears in rule metadata (the crosswalk file is the only place for it).
 */
export function mappingProblems(frameworks: Frameworks, catalog: Catalog): string[] {
  const problems: string[] = [];
  const rules = new Map(catalog.map((r) => [r.id, r]));
  for (const rule of catalog) {
    for (const [fwId, controlIds] of Object.entries(rule.frameworks)) {
      const fw = frameworks.get(fwId);
      if (!fw) {
        problems.push(`${rule.id} maps to framework ${fwId}, which has no framework file`);
        continue;
      }
      if (fw.crosswalk) {
        problems.push(`${rule.id} declares ${fwId} in METADATA, but ${fwId} is mapped through ${fw.crosswalk} in ${path.basename(fw.file)}; remove it from the rule`);
        continue;
      }
      for (const controlId of controlIds ?? []) {
        const control = fw.controls.find((c) => c.id === controlId);
        if (!control) problems.push(`${rule.id} maps to ${fwId} control ${controlId}, which ${path.basename(fw.file)} does not list`);
        else if (!control.rules.includes(rule.id)) problems.push(`${rule.id} maps to ${fwId} ${controlId}, but ${path.basename(fw.file)} does not list ${rule.id} under it`);
      }
    }
  }
  for (const fw of frameworks.values()) {
    if (fw.crosswalk) continue;
    for (const control of fw.controls) {
      for (const ruleId of control.rules) {
        const rule = rules.get(ruleId);
        if (!rule) problems.push(`${path.basename(fw.file)} lists ${ruleId} under ${control.id}, but no rule ${ruleId} exists`);
        else if (!(rule.frameworks[fw.id] ?? []).includes(control.id)) {
          problems.push(`${path.basename(fw.file)} lists ${ruleId} under ${control.id}, but ${ruleId}'s METADATA does not map ${fw.id} ${control.id}`);
        }
      }
    }
  }
  return problems;
}

/**
 * A scan result limited to what one framework speaks about (what `--framework` reports on): the rules
 * that evidence it, on the assets in its scope. A benchmark written for one cloud's service (CIS EKS) says
 * nothing about another's clusters: a GKE cluster failing a cross-cloud rule is no CIS EKS finding, and
 * every rule of the framework is "not applicable" there.
 */
export function limitToFramework<
  T extends { rules: Catalog; findings: ReadonlyArray<{ ruleId: string; assetId: string }>; outcomes?: readonly AssetOutcomes[]; assets?: readonly Asset[] },
>(result: T, frameworks: Frameworks, id: string): T {
  const fw = frameworkById(frameworks, id);
  const keep = rulesOf(fw);
  const outside = new Set(fw.assets ? (result.assets ?? []).filter((a) => !fw.assets!.some((s) => selectorMatches(s, facetsOf(a)))).map((a) => a.id) : []);
  const none = new Set<string>();
  const shared = new WeakMap<readonly string[], readonly string[]>();
  const sharedOutside = new WeakMap<readonly string[], readonly string[]>();
  return {
    ...result,
    rules: result.rules.filter((r) => keep.has(r.id)),
    findings: result.findings.filter((f) => keep.has(f.ruleId) && !outside.has(f.assetId)),
    ...(result.outcomes
      ? { outcomes: result.outcomes.map((o) => (outside.has(o.assetId) ? limitOutcomes(o, none, sharedOutside) : limitOutcomes(o, keep, shared))) }
      : {}),
  };
}
