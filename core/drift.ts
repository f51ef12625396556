// Drift between two scan snapshots: per asset, which configuration values changed, and which
// findings opened or closed. Paths name list items by `name` where they have one (containers/web/user)
// so a reordered list is not reported as a change, matching the evidence paths rules use. The values
// shown are the normalized fields, which are what the rules judge (no rule reads a provider field the
// normalizer has not decided); each opened or closed finding shows the evidence its rule judged. Across a
// rule rename or merge (METADATA aliases), a finding that continues an earlier one is neither.
// Both snapshots are read a record (an asset id) at a time and merged in id order, so a diff holds one asset
// of each at once, not two whole scans.
import type { Finding } from './finding.ts';
import { streamOfWhole, type ScanSnapshot, type SnapshotPolicy, type SnapshotRecord, type SnapshotStream } from './snapshots.ts';

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
 * Earlier ids come from `to`'s policy (a stream of an older snapshot adds those its findings name).
 */
function comparableRules(from: SnapshotPolicy, to: SnapshotPolicy): { before: Set<string>; after: Set<string> } {
  const ran = { from: new Set(from.rules), to: new Set(to.rules) };
  const aliases = new Map<string, Set<string>>(Object.entries(to.aliases ?? {}).map(([rule, ids]) => [rule, new Set(ids)]));
  const after = new Set([...ran.to].filter((r) => ran.from.has(r) || [...(aliases.get(r) ?? [])].some((a) => ran.from.has(a))));
  const succeeded = new Set([...after].flatMap((r) => [...(aliases.get(r) ?? [])]));
  const before = new Set([...ran.from].filter((r) => ran.to.has(r) || succeeded.has(r)));
  return { before, after };
}

/** Pairs of records with the same id, in ascending id order (each side's records are ascending). */
function* mergeById(from: Iterable<SnapshotRecord>, to: Iterable<SnapshotRecord>): Generator<[SnapshotRecord | undefined, SnapshotRecord | undefined]> {
  const left = from[Symbol.iterator]();
  const right = to[Symbol.iterator]();
  let a = left.next();
  let b = right.next();
  while (!a.done || !b.done) {
    if (b.done || (!a.done && a.value.id < b.value.id)) {
      yield [a.value as SnapshotRecord, undefined];
      a = left.next();
    } else if (a.done || b.value.id < a.value.id) {
      yield [undefined, b.value];
      b = right.next();
    } else {
      yield [a.value, b.value];
      a = left.next();
      b = right.next();
    }
  }
}

const noFindings: ReadonlyMap<string, Finding> = new Map();

/**
 * What changed from `from` to `to`, an asset at a time. Findings are compared only for rules both scans
 * evaluated (directly or through an earlier id); a finding of `to` that continues one of `from` (the same
 * fingerprint, or the one it had under an earlier id) is neither opened nor closed. `keep: 'notable'` keeps only
 * the assets with something to say (what the text and HTML show), `'none'` only the totals, which always count
 * every asset.
 */
export function diffStreams(from: SnapshotStream, to: SnapshotStream, keep: 'all' | 'notable' | 'none' = 'all'): DriftReport {
  const comparable = comparableRules(from.header.policy, to.header.policy);
  const group = (record: SnapshotRecord | undefined, rules: Set<string>) => {
    if (!record?.findings.length) return noFindings;
    const m = new Map<string, Finding>();
    for (const f of record.findings) if (rules.has(f.ruleId)) m.set(f.fingerprint, f);
    return m;
  };
  const continues = (f: Finding, was: ReadonlyMap<string, Finding>) => was.has(f.fingerprint) || (f.previousFingerprints ?? []).some((p) => was.has(p));
  const assets: AssetDrift[] = [];
  const totals = { added: 0, removed: 0, changed: 0, unchanged: 0, opened: 0, closed: 0 };
  for (const [left, right] of mergeById(from.records(), to.records())) {
    // A record names its asset's id; one with findings but no asset (none, as posture scans) is not an asset.
    const a = left?.assets.at(-1);
    const b = right?.assets.at(-1);
    if (!a && !b) continue;
    const id = (left ?? right)!.id;
    const meta = (b ?? a)!.asset;
    const was = group(left, comparable.before);
    const now = group(right, comparable.after);
    // Every fingerprint `now` carries on (its own, and those its findings had under earlier ids).
    const carriedOn = new Set([...now.values()].flatMap((n) => [n.fingerprint, ...(n.previousFingerprints ?? [])]));
    const all = diffValues(a?.asset ?? {}, b?.asset ?? {});
    const changes = a && b ? all.slice(0, maxChangesPerAsset) : [];
    if (a && b && all.length > maxChangesPerAsset) changes.push({ path: '…', before: null, after: `${all.length - maxChangesPerAsset} more changes` });
    const rawChanged = Boolean(a && b && a.rawSha256 !== b.rawSha256);
    const drift: AssetDrift = {
      assetId: id,
      kind: String(meta.kind),
      provider: String(meta.provider),
      account: String(meta.account),
      status: !a ? 'added' : !b ? 'removed' : changes.length || rawChanged ? 'changed' : 'unchanged',
      changes,
      rawChanged,
      opened: [...now.values()].filter((f) => !continues(f, was)).map(ref),
      closed: [...was.values()].filter((f) => !carriedOn.has(f.fingerprint)).map(ref),
    };
    totals[drift.status] += 1;
    totals.opened += drift.opened.length;
    totals.closed += drift.closed.length;
    if (keep === 'all' || (keep === 'notable' && notable(drift))) assets.push(drift);
  }
  return {
    from: { seq: from.header.seq, scanId: from.header.scanId, startedAt: from.header.startedAt },
    to: { seq: to.header.seq, scanId: to.header.scanId, startedAt: to.header.startedAt },
    assets,
    totals,
  };
}

/** An asset the drift has something to say about. */
export const notable = (a: AssetDrift) => a.status !== 'unchanged' || a.opened.length > 0 || a.closed.length > 0;

/** The drift between two whole snapshots in memory. */
export function diffSnapshots(from: ScanSnapshot, to: ScanSnapshot): DriftReport {
  return diffStreams(streamOfWhole(from), streamOfWhole(to));
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
    if (!notable(a)) continue;
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
