// The input-contract gate of the policy build: every field a rule reads must be one that a real
// normalizer produces. Checked against the fixture assets (policies/contracts/fixtures.ts):
//   - a rule must apply to at least one fixture asset (else nothing it judges is ever collected);
//   - each `requires` path must carry a concrete value in at least one asset the rule applies to
//     (an always-null or always-empty field proves nothing: the collector is missing);
//   - each path the rule's Rego reads literally (`input.a.b`, `object.get(input.a, ["b", "c"], …)`)
//     must exist in at least one asset the rule applies to (under `raw`, the collected input `raw.<key>`);
//     a normalized path must also carry a concrete value in one of them: a field a normalizer always
//     leaves null or empty is one no collector fills, and a rule reading it judges nothing there.
// A rule marked `preview` (its collector does not exist yet) is exempt and reported as such.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { facetsOf, inputProduced, pathDeclared, ruleApplies } from '../../core/applicability.ts';
import type { Asset } from '../../core/asset.ts';
import type { CatalogRule } from '../catalog.ts';

type Term = { type: string; value: unknown };
const isTerm = (v: unknown): v is Term => typeof v === 'object' && v !== null && 'type' in v && 'value' in v;

/** The literal string keys of a ref after `input` (stops at the first computed key). */
function inputRefPath(term: Term): string[] | null {
  if (term.type !== 'ref' || !Array.isArray(term.value)) return null;
  const [head, ...rest] = term.value as Term[];
  if (!head || head.type !== 'var' || head.value !== 'input') return null;
  const path: string[] = [];
  for (const t of rest) {
    if (t.type !== 'string') break;
    path.push(String(t.value));
  }
  return path;
}

/** Paths of `input` a Rego module reads literally, as dot paths (from `opa parse --format json`). */
export function inputReads(ast: unknown): string[] {
  const reads = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    if (isTerm(node)) {
      if (node.type === 'call' && Array.isArray(node.value)) {
        const [fn, obj, keys] = node.value as Term[];
        const fnPath = fn && fn.type === 'ref' && Array.isArray(fn.value) ? (fn.value as Term[]).map((t) => String(t.value)).join('.') : '';
        const base = fnPath === 'object.get' && obj ? inputRefPath(obj) : null;
        if (base && keys) {
          const extra = keys.type === 'string' ? [String(keys.value)] : keys.type === 'array' && Array.isArray(keys.value) ? (keys.value as Term[]).filter((k) => k.type === 'string').map((k) => String(k.value)) : [];
          const literal = keys.type === 'string' || (keys.type === 'array' && (keys.value as Term[]).every((k) => k.type === 'string'));
          const full = literal ? [...base, ...extra] : base;
          if (full.length) reads.add(full.join('.'));
        }
      }
      const path = inputRefPath(node);
      if (path && path.length) reads.add(path.join('.'));
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit((ast as { rules?: unknown }).rules ?? ast);
  return [...reads].sort();
}

/** Runs `opa parse` on a rule file and returns the input paths it reads. */
export async function readsOfFile(opaBinary: string, file: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(opaBinary, ['parse', '--format', 'json', '--json-include', '-comments', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return inputReads(JSON.parse(stdout));
}

export interface GateResult {
  problems: string[];
  /** Preview rules and why they are in preview (what is not produced yet), for the build log. */
  preview: string[];
}

const describeWhere = (rule: CatalogRule) =>
  `${rule.kind.join('/')}${rule.applies ? ` ${Object.entries(rule.applies).map(([k, v]) => `${k}=${(v as string[]).join('|')}`).join(' ')}` : ''}`;

/** Checks each rule's inputs against the fixture assets; `reads` maps rule id → literal Rego reads. */
export function checkContracts(catalog: readonly CatalogRule[], fixtures: readonly { provider: string; asset: Asset }[], reads: ReadonlyMap<string, readonly string[]>): GateResult {
  const problems: string[] = [];
  const preview: string[] = [];
  for (const rule of catalog) {
    const applicable = fixtures.filter((f) => ruleApplies(rule, facetsOf(f.asset)));
    const providers = [...new Set(applicable.map((f) => f.provider))].join(', ') || 'none';
    const gaps: string[] = [];
    if (applicable.length === 0) gaps.push(`no normalizer produces an asset it applies to (${describeWhere(rule)})`);
    for (const path of rule.requires) {
      if (!applicable.some((f) => inputProduced(f.asset, path.split('.')))) gaps.push(`it requires ${path}, which no normalizer produces a value for (fixtures: ${providers})`);
    }
    for (const read of reads.get(rule.id) ?? []) {
      // Under `raw` the provider's own answer may omit optional fields (absent = API default): only the
      // collected input itself (`raw.<input>`) must be there.
      const path = read.split('.').slice(0, read.startsWith('raw.') ? 2 : undefined);
      if (!applicable.some((f) => pathDeclared(f.asset, path))) gaps.push(`it reads input.${path.join('.')}, which no normalizer produces (fixtures: ${providers})`);
      else if (!read.startsWith('raw.') && !applicable.some((f) => inputProduced(f.asset, path)))
        gaps.push(`it reads input.${path.join('.')}, which every normalizer leaves null or empty (fixtures: ${providers})`);
    }
    if (rule.preview) preview.push(`${rule.id} (${rule.file}) is in preview${gaps.length ? `: ${gaps.join('; ')}` : ' although every input it reads is produced: consider taking it out of preview'}`);
    else for (const gap of gaps) problems.push(`${rule.id} (${rule.file}): ${gap}. Produce it in a normalizer, or mark the rule \`preview: true\` until its collector exists.`);
  }
  return { problems, preview };
}
