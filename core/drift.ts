// Drift between two scan snapshots: per asset, which configuration values changed, and which
// findings opened or closed. Paths name list items by `name` where they have one (containers/web/user)
// so a reordered list is not reported as a change, matching the evidence paths rules use. The values
// shown are the normalized fields, which are what the rules judge (no rule reads a provider field the
// normalizer has not decided); each opened or closed finding shows the evidence its rule judged. Across a
// rule rename or merge (METADATA aliases), a finding that continues an earlier one is neither.
import type { Finding } from './finding.ts';
import type { ScanSnapshot } from './snapshots.ts';

/** Fields that change on every collection and say nothing about configuration. */
const volatile = new Set(['collectedAt', 'source']);

export interface ValueChange {
  path: string;
  before: unknown;
  after: unknown;
}

export interface FindingRef {
  fingerprint: string;
  ruleId: string;
  severity: Finding['severity'];
  title: string;
  path: string;
  /** The value the rule judged (the finding's evidence). */
  evidence: unknown;
}

export interface AssetDrift {
  assetId: string;
  kind: string;
  provider: string;
  account: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  changes: ValueChange[];
  /** The provider's raw answer changed (it may hold detail no normalized field shows). */
  rawChanged: boolean;
  opened: FindingRef[];
  closed: FindingRef[];
}

export interface DriftReport {
  from: { seq: number; scanId: string; startedAt: string };
  to: { seq: number; scanId: string; startedAt: string };
  assets: AssetDrift[];
  totals: { added: number; removed: number; changed: number; unchanged: number; opened: number; closed: number };
}

/** Cap on reported value changes per asset: a wholesale rewrite is summarized, not dumped. */
export const maxChangesPerAsset = 200;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Flattens a value to path → leaf; list items with a unique string `name` are keyed by it. */
export function flatten(value: unknown, prefix = '', out = new Map<string, unknown>(), depth = 0): Map<string, unknown> {
  if (depth > 32) {
    out.set(prefix || '(root)', JSON.stringify(value));
    return out;
  }
  const join = (k: string) => (prefix ? `${prefix}/${k}` : k);
  if (Array.isArray(value)) {
    const names = value.map((v) => (isRecord(v) && typeof v.name === 'string' ? v.name : null));
    const byName = names.every((n) => n !== null) && new Set(names).size === names.length;
    if (value.length === 0) out.set(prefix, []);
    value.forEach((v, i) => flatten(v, join(byName ? (names[i] as string) : String(i)), out, depth + 1));
  } else if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => !(depth === 0 && volatile.has(k)));
    if (keys.length === 0) out.set(prefix, {});
    for (const k of keys.sort()) flatten(value[k], join(k), out, depth + 1);
  } else {
    out.set(prefix, value);
  }
  return out;
}

export function diffValues(before: unknown, after: unknown): ValueChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const changes: ValueChange[] = [];
  for (const p of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.has(p) ? a.get(p) : undefined;
    const y = b.has(p) ? b.get(p) : undefined;
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ path: p, before: x ?? null, after: y ?? null });
  }
  return changes;
}

const ref = (f: Finding): FindingRef => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, severity: f.severity, title: f.title, path: f.path, evidence: f.evidence ?? null });

/**
 * Which rules of each scan the other also judged. A rule of `to` counts when `from` ran it or one of its
 * earlier ids; a rule of `from` counts when `to` ran it or a rule that lists it as an earlier id. So narrowing
 * a scan with --framework does not read as closed findings, and neither does an upgrade that merged rules.
 */
function comparableRules(from: ScanSnapshot, to: ScanSnapshot): { before: Set<string>; after: Set<string> } {
  const ran = { from: new Set(from.policy.rules), to: new Set(to.policy.rules) };
  // Earlier ids, from the policy (newer snapshots) or from the findings themselves (older ones).
  const aliases = new Map<string, Set<string>>();
  for (const [rule, ids] of Object.entries(to.policy.aliases ?? {})) aliases.set(rule, new Set(ids));
  for (const f of to.findings) for (const id of f.aliases ?? []) (aliases.get(f.ruleId) ?? aliases.set(f.ruleId, new Set()).get(f.ruleId)!).add(id);
  const after = new Set([...ran.to].filter((r) => ran.from.has(r) || [...(aliases.get(r) ?? [])].some((a) => ran.from.has(a))));
  const succeeded = new Set([...after].flatMap((r) => [...(aliases.get(r) ?? [])]));
  const before = new Set([...ran.from].filter((r) => ran.to.has(r) || succeeded.has(r)));
  return { before, after };
}

/**
 * What changed from `from` to `to`. Findings are compared only for rules both scans evaluated (directly or
 * through an earlier id); a finding of `to` that continues one of `from` (the same fingerprint, or the one
 * it had under an earlier id) is neither opened nor closed.
 */
export function diffSnapshots(from: ScanSnapshot, to: ScanSnapshot): DriftReport {
  const before = new Map(from.assets.map((s) => [String(s.asset.id), s]));
  const after = new Map(to.assets.map((s) => [String(s.asset.id), s]));
  const comparable = comparableRules(from, to);
  const group = (findings: Finding[], rules: Set<string>) => {
    const m = new Map<string, Map<string, Finding>>();
    for (const f of findings) {
      if (!rules.has(f.ruleId)) continue;
      if (!m.has(f.assetId)) m.set(f.assetId, new Map());
      m.get(f.assetId)!.set(f.fingerprint, f);
    }
    return m;
  };
  const oldFindings = group(from.findings, comparable.before);
  const newFindings = group(to.findings, comparable.after);
  const continues = (f: Finding, was: ReadonlyMap<string, Finding>) => was.has(f.fingerprint) || (f.previousFingerprints ?? []).some((p) => was.has(p));
  const assets: AssetDrift[] = [];
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(id);
    const b = after.get(id);
    const meta = (b ?? a)!.asset;
    const was = oldFindings.get(id) ?? new Map<string, Finding>();
    const now = newFindings.get(id) ?? new Map<string, Finding>();
    const all = diffValues(a?.asset ?? {}, b?.asset ?? {});
    const changes = a && b ? all.slice(0, maxChangesPerAsset) : [];
    if (a && b && all.length > maxChangesPerAsset) changes.push({ path: '…', before: null, after: `${all.length - maxChangesPerAsset} more changes` });
    const rawChanged = Boolean(a && b && a.rawSha256 !== b.rawSha256);
    assets.push({
      assetId: id,
      kind: String(meta.kind),
      provider: String(meta.provider),
      account: String(meta.account),
      status: !a ? 'added' : !b ? 'removed' : changes.length || rawChanged ? 'changed' : 'unchanged',
      changes,
      rawChanged,
      opened: [...now.values()].filter((f) => !continues(f, was)).map(ref),
      closed: [...was.values()].filter((f) => ![...now.values()].some((n) => n.fingerprint === f.fingerprint || (n.previousFingerprints ?? []).includes(f.fingerprint))).map(ref),
    });
  }
  const count = (s: AssetDrift['status']) => assets.filter((x) => x.status === s).length;
  return {
    from: { seq: from.seq, scanId: from.scanId, startedAt: from.startedAt },
    to: { seq: to.seq, scanId: to.scanId, startedAt: to.startedAt },
    assets,
    totals: {
      added: count('added'),
      removed: count('removed'),
      changed: count('changed'),
      unchanged: count('unchanged'),
      opened: assets.reduce((n, x) => n + x.opened.length, 0),
      closed: assets.reduce((n, x) => n + x.closed.length, 0),
    },
  };
}

/** Plain-text drift for the terminal: only assets with something to say. */
export function renderDriftText(drift: DriftReport): string {
  const out = [`Drift from scan ${drift.from.seq} (${drift.from.startedAt}) to scan ${drift.to.seq} (${drift.to.startedAt})`, ''];
  const show = (v: unknown) => (v === null || v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));
  const judged = (v: unknown) => {
    const text = show(v);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  };
  for (const a of drift.assets) {
    if (a.status === 'unchanged' && !a.opened.length && !a.closed.length) continue;
    out.push(`${a.status.toUpperCase()}  ${a.assetId}  (${a.kind}, ${a.provider} ${a.account})`);
    for (const c of a.changes) out.push(`    ~ ${c.path}: ${show(c.before)} → ${show(c.after)}`);
    if (a.rawChanged && a.changes.length === 0) out.push('    ~ provider response changed (no normalized field differs)');
    for (const f of a.opened) out.push(`    + opened ${f.ruleId} [${f.severity}] ${f.title} (${f.path}: ${judged(f.evidence)})`);
    for (const f of a.closed) out.push(`    - closed ${f.ruleId} [${f.severity}] ${f.title} (${f.path}: was ${judged(f.evidence)})`);
    out.push('');
  }
  const t = drift.totals;
  out.push(`${t.changed} changed, ${t.added} added, ${t.removed} removed, ${t.unchanged} unchanged assets; ${t.opened} findings opened, ${t.closed} closed`);
  return out.join('\n');
}
