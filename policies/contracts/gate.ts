// The input-contract gate of the policy build: every field a rule reads must be one that a real
// normalizer produces. Checked against the fixture assets (policies/contracts/fixtures.ts):
//   - a rule must apply to at least one fixture asset (else nothing it judges is ever collected);
//   - each `requires` path must carry a concrete value in at least one asset the rule applies to
//     (an always-null or always-empty field proves nothing: the collector is missing);
//   - each path the rule's Rego reads literally (`input.a.b`, `object.get(input.a, ["b", "c"], …)`), and
//     through a variable bound to an input collection (`some c in input.workload.containers` then
//     `c.securityContext`, or the library's `workload.containers`), must exist in at least one asset the
//     rule applies to (under `raw`, the collected input `raw.<key>`);
//     a normalized path must also carry a concrete value in one of them: a field a normalizer always
//     leaves null or empty is one no collector fills, and a rule reading it judges nothing there.
//     A path handed to a helper function (`token(c)`, `aws.eks_cluster(input)`, in the rule file or a
//     library, helpers calling helpers) counts as read with whatever the helper reads through that argument.
//     Not followed: what a helper returns (`x := f(c)` then `x.a`), and `input` read inside a library helper
//     itself rather than through its arguments.
// A rule marked `preview` (its collector does not exist yet) is exempt and reported as such.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { facetsOf, inputProduced, pathDeclared, requirementParts, ruleApplies, selectorMatches } from '../../core/applicability.ts';
import type { Asset } from '../../core/asset.ts';
import type { CatalogRule } from '../catalog.ts';

type Term = { type: string; value: unknown };
const isTerm = (v: unknown): v is Term => typeof v === 'object' && v !== null && 'type' in v && 'value' in v;

/** Input paths that names stand for: a variable bound to an input collection, or a library value (`workload.containers`). */
type Scope = ReadonlyMap<string, readonly string[]>;

const refTerms = (term: Term): Term[] | null => (term.type === 'ref' && Array.isArray(term.value) ? (term.value as Term[]) : null);

/**
 * The input path a term stands for, up to its first computed key: `input.a.b`, a variable bound to an input
 * path (`c.securityContext` where `some c in input.workload.containers`: `workload.containers.securityContext`,
 * array elements implied), a library value that is an input path, or `object.get` on any of those.
 */
function inputPathOf(term: Term, scope: Scope): string[] | null {
  if (term.type === 'var') return term.value === 'input' ? [] : scope.has(String(term.value)) ? [...scope.get(String(term.value))!] : null;
  const parts = refTerms(term);
  if (parts) {
    const [head, ...rest] = parts;
    if (!head || head.type !== 'var') return null;
    let base: readonly string[] | undefined;
    let keys = rest;
    if (head.value === 'input') base = [];
    else if (scope.has(String(head.value))) base = scope.get(String(head.value));
    else if (rest[0]?.type === 'string' && scope.has(`${String(head.value)}.${String(rest[0].value)}`)) {
      // A library value through its import alias: `workload.containers`.
      base = scope.get(`${String(head.value)}.${String(rest[0].value)}`);
      keys = rest.slice(1);
    }
    if (!base) return null;
    const path = [...base];
    for (const t of keys) {
      if (t.type !== 'string') break;
      path.push(String(t.value));
    }
    return path;
  }
  if (term.type === 'call' && Array.isArray(term.value)) {
    const [fn, obj, keys] = term.value as Term[];
    const fnPath = fn ? (refTerms(fn) ?? []).map((t) => String(t.value)).join('.') : '';
    if (fnPath !== 'object.get' || !obj || !keys) return null;
    const base = inputPathOf(obj, scope);
    if (!base) return null;
    if (keys.type === 'string') return [...base, String(keys.value)];
    if (keys.type === 'array' && Array.isArray(keys.value)) {
      const list = keys.value as Term[];
      const literal: string[] = [];
      for (const k of list) {
        if (k.type !== 'string') break;
        literal.push(String(k.value));
      }
      return [...base, ...literal];
    }
    return base;
  }
  return null;
}

/** Every expression's terms under a node, comprehensions and `every` bodies included. */
function* expressions(node: unknown): Generator<unknown> {
  if (Array.isArray(node)) {
    for (const n of node) yield* expressions(n);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  if ('terms' in record && 'index' in record) yield record.terms;
  for (const value of Object.values(record)) yield* expressions(value);
}

/**
 * Variables a rule binds to input paths: `some x in <coll>`, `some k, x in <coll>`, `every x in <coll>`,
 * `x := <path>` and `x = <path>`. Repeated until nothing new is bound (a variable bound from another).
 */
function bindVariables(rule: unknown, outer: Scope): Map<string, readonly string[]> {
  const scope = new Map(outer);
  for (let changed = true; changed; ) {
    changed = false;
    const bind = (name: unknown, path: string[] | null) => {
      if (typeof name !== 'string' || !path || !path.length || scope.has(name)) return;
      scope.set(name, path);
      changed = true;
    };
    for (const terms of expressions(rule)) {
      const t = terms as Record<string, unknown> | Term[];
      if (Array.isArray(t)) {
        const [op, left, right] = t;
        const opName = op ? (refTerms(op) ?? []).map((x) => String(x.value)).join('.') : '';
        if ((opName === 'assign' || opName === 'eq') && left?.type === 'var' && right) bind(left.value, inputPathOf(right, scope));
        continue;
      }
      // `some … in …`: a call of internal.member_2 (value) or internal.member_3 (key, value) among the symbols.
      for (const symbol of (t.symbols as Term[] | undefined) ?? []) {
        if (symbol.type !== 'call' || !Array.isArray(symbol.value)) continue;
        const [fn, ...args] = symbol.value as Term[];
        const name = fn ? (refTerms(fn) ?? []).map((x) => String(x.value)).join('.') : '';
        const value = name === 'internal.member_2' ? args[0] : name === 'internal.member_3' ? args[1] : undefined;
        const coll = args.at(-1);
        if (value?.type === 'var' && coll) bind(value.value, inputPathOf(coll, scope));
      }
      // `every x in coll { … }`
      const every = t as { value?: Term; domain?: Term };
      if (every.value?.type === 'var' && every.domain) bind(every.value.value, inputPathOf(every.domain, scope));
    }
  }
  return scope;
}

/** What helper functions read through their arguments: full name (`data.posture.lib.aws.eks_cluster`) →
 *  per argument, the paths read relative to it ('' = the argument itself). */
type FunctionReads = ReadonlyMap<string, readonly ReadonlySet<string>[]>;

/** The library values and helper functions rule files can reach through their imports. */
export interface Libraries {
  values: Scope;
  functions: FunctionReads;
}

interface ModuleContext {
  /** `data.posture.rules.x` */
  pkg: string;
  /** Import alias → imported package (`workload` → `data.posture.lib.workload`). */
  aliases: Map<string, string>;
  /** Library values reachable through the imports, by alias: `workload.containers`. */
  outer: Scope;
}

const refName = (term: Term | undefined): string[] | null => {
  const parts = term ? refTerms(term) : null;
  if (!parts?.length || parts[0]!.type !== 'var' || parts.slice(1).some((t) => t.type !== 'string')) return null;
  return parts.map((t) => String(t.value));
};

function moduleContext(ast: unknown, libs: Scope): ModuleContext {
  const module = ast as { package?: { path: Term[] }; imports?: { path: Term; alias?: string }[] };
  const pkg = (module.package?.path ?? []).map((t) => String(t.value)).join('.');
  const aliases = new Map<string, string>();
  const outer = new Map<string, readonly string[]>();
  for (const imp of module.imports ?? []) {
    const parts = (refTerms(imp.path) ?? []).map((t) => String(t.value));
    if (parts[0] !== 'data') continue;
    const imported = parts.join('.');
    const alias = imp.alias ?? parts.at(-1)!;
    aliases.set(alias, imported);
    // Library values reachable through this import: `import data.posture.lib.workload` → `workload.*`.
    for (const [name, path] of libs) if (name.startsWith(`${imported}.`)) outer.set(`${alias}.${name.slice(imported.length + 1)}`, path);
  }
  return { pkg, aliases, outer };
}

/** The full name of the function a call's operator names: local, through an import alias, or `data.…`. */
function functionName(op: Term | undefined, ctx: ModuleContext): string | null {
  const name = refName(op);
  if (!name) return null;
  const [head, ...rest] = name;
  if (head === 'data') return name.join('.');
  if (ctx.aliases.has(head!)) return [ctx.aliases.get(head!)!, ...rest].join('.');
  return rest.length ? null : `${ctx.pkg}.${head}`;
}

/** The input paths a rule reads, in its scope, with what the helpers it calls read through their arguments. */
function readsOfRule(rule: unknown, scope: Scope, ctx: ModuleContext, functions: FunctionReads): Set<string> {
  const reads = new Set<string>();
  const call = (op: Term | undefined, args: readonly Term[]) => {
    const name = functionName(op, ctx);
    const perArg = name ? functions.get(name) : undefined;
    if (!perArg) return;
    args.forEach((arg, i) => {
      const base = isTerm(arg) ? inputPathOf(arg, scope) : null;
      if (!base) return;
      for (const rel of perArg[i] ?? []) {
        const path = rel ? [...base, ...rel.split('.')] : base;
        if (path.length) reads.add(path.join('.'));
      }
    });
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      // An expression that is a call: `token(c)` as a statement.
      if (isTerm(node[0]) && node[0].type === 'ref') call(node[0], node.slice(1));
      return node.forEach(visit);
    }
    if (typeof node !== 'object' || node === null) return;
    if (isTerm(node)) {
      const path = inputPathOf(node, scope);
      if (path && path.length) reads.add(path.join('.'));
      if (node.type === 'call' && Array.isArray(node.value)) call((node.value as Term[])[0], (node.value as Term[]).slice(1));
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(rule);
  return reads;
}

type FunctionRule = { head?: { name?: string; ref?: Term[]; args?: Term[] } };

/**
 * What the functions of these modules read through each argument, on top of `known` (helpers calling
 * helpers: repeated until nothing new is read; Rego forbids recursion, so this ends).
 */
function functionReadsOf(modules: readonly { ast: unknown; ctx: ModuleContext }[], known: FunctionReads): Map<string, Set<string>[]> {
  const functions = new Map<string, Set<string>[]>([...known].map(([name, perArg]) => [name, perArg.map((s) => new Set(s))]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const { ast, ctx } of modules) {
      for (const rule of ((ast as { rules?: FunctionRule[] }).rules ?? []) as FunctionRule[]) {
        const args = rule.head?.args;
        const short = rule.head?.name ?? (rule.head?.ref?.length === 1 ? String(rule.head.ref[0]!.value) : undefined);
        if (!args?.length || !short) continue;
        const name = `${ctx.pkg}.${short}`;
        // Each parameter stands for a path of its own, `\0<i>`, so what is read through it can be told apart.
        const params = new Map(ctx.outer);
        args.forEach((a, i) => a.type === 'var' && params.set(String(a.value), [`\0${i}`]));
        const reads = readsOfRule(rule, bindVariables(rule, params), ctx, functions);
        const perArg = functions.get(name) ?? args.map(() => new Set<string>());
        while (perArg.length < args.length) perArg.push(new Set());
        functions.set(name, perArg);
        for (const read of reads) {
          const [marker, ...rel] = read.split('.');
          const i = marker!.startsWith('\0') ? Number(marker!.slice(1)) : -1;
          if (i < 0 || perArg[i]!.has(rel.join('.'))) continue;
          perArg[i]!.add(rel.join('.'));
          changed = true;
        }
      }
    }
  }
  return functions;
}

const noLibraries: Libraries = { values: new Map(), functions: new Map() };

/** The paths a module's rules read, through the variables each rule binds, library values and helper functions. */
function readsWithScope(ast: unknown, libraries: Libraries): string[] {
  const module = ast as { rules?: unknown[] };
  const ctx = moduleContext(ast, libraries.values);
  const functions = functionReadsOf([{ ast, ctx }], libraries.functions);
  const reads = new Set<string>();
  for (const rule of module.rules ?? (Array.isArray(ast) ? ast : [ast])) {
    for (const read of readsOfRule(rule, bindVariables(rule, ctx.outer), ctx, functions)) reads.add(read);
  }
  return [...reads].sort();
}

/** Paths of `input` a Rego module reads, as dot paths (from `opa parse --format json`), through the variables
 *  its rules bind to input collections, the library values (see `libraryInputs`) and what the helper
 *  functions it calls read through their arguments. */
export function inputReads(ast: unknown, libs: Libraries = noLibraries): string[] {
  return readsWithScope(ast, libs);
}

/**
 * Library values that are input paths, by their full name: `data.posture.lib.workload.containers` →
 * `workload.containers` (from `containers := object.get(input, ["workload", "containers"], [])`).
 */
export function libraryInputs(ast: unknown): Map<string, readonly string[]> {
  const module = ast as { package?: { path: Term[] }; rules?: { head?: { name?: string; args?: unknown[]; value?: Term } }[] };
  const pkg = (module.package?.path ?? []).map((t) => String(t.value)).join('.');
  const out = new Map<string, readonly string[]>();
  for (const rule of module.rules ?? []) {
    const head = rule.head;
    if (!head?.name || head.args?.length || !head.value) continue;
    const path = inputPathOf(head.value, new Map());
    if (path && path.length) out.set(`${pkg}.${head.name}`, path);
  }
  return out;
}

const parseRego = async (opaBinary: string, file: string): Promise<unknown> => {
  const { stdout } = await promisify(execFile)(opaBinary, ['parse', '--format', 'json', '--json-include', '-comments', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout);
};

/** The library values of these files that are input paths (see `libraryInputs`), and what their helper
 *  functions read through their arguments. */
export async function librariesOf(opaBinary: string, files: readonly string[]): Promise<Libraries> {
  const parsed = await Promise.all(files.map((file) => parseRego(opaBinary, file)));
  const values = new Map(parsed.flatMap((ast) => [...libraryInputs(ast)]));
  const functions = functionReadsOf(
    parsed.map((ast) => ({ ast, ctx: moduleContext(ast, values) })),
    new Map(),
  );
  return { values, functions };
}

/** Runs `opa parse` on a rule file and returns the input paths it reads. */
export async function readsOfFile(opaBinary: string, file: string, libs: Libraries = noLibraries): Promise<string[]> {
  return inputReads(await parseRego(opaBinary, file), libs);
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
    for (const requirement of rule.requires) {
      const { input: path, where } = requirementParts(requirement);
      const scoped = where ? applicable.filter((f) => selectorMatches(where, facetsOf(f.asset))) : applicable;
      const named = where ? ` (${Object.entries(where).map(([k, v]) => `${k}=${(v as string[]).join('|')}`).join(' ')})` : '';
      if (!scoped.some((f) => inputProduced(f.asset, path.split('.')))) gaps.push(`it requires ${path}${named}, which no normalizer produces a value for (fixtures: ${providers})`);
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
