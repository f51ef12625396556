// Audit evidence bundle for a period: the scan snapshots recorded in it (copied byte for byte, with
// their hash-chain links), every finding with its history and the exceptions that covered it, the
// scores of each scan, and the policy bundle digests and framework files that produced them.
// manifest.json lists the SHA-256 of every file and the chain from the scan before the period
// (anchor) to the last scan in it (head); `verifyEvidence` recomputes all of it.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { sha256 } from './canonical.ts';
import type { ExceptionRule } from './exceptions.ts';
import type { Finding } from './finding.ts';
import type { Frameworks } from './frameworks.ts';
import { scoringFormula } from './scores.ts';
import { ChainEntry, chainLink, checkSnapshotFile, genesis, HistoryError, isV1, maxSnapshotBytes, type ScanSnapshot, type SnapshotStore } from './snapshots.ts';
import type { FindingRecord } from './state/record.ts';

export const EvidenceManifest = z.object({
  v: z.literal(1),
  tool: z.literal('posture'),
  createdAt: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  /** Chain value before the first scan in the bundle (64 zeros when it is the first scan ever). */
  anchor: z.object({ seq: z.number().int().nonnegative(), chain: z.string() }),
  head: z.object({ seq: z.number().int().nonnegative(), chain: z.string() }),
  scans: z.array(ChainEntry),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number().int().nonnegative() })),
});
export type EvidenceManifest = z.infer<typeof EvidenceManifest>;

export interface EvidenceOptions {
  store: SnapshotStore;
  from: Date;
  to: Date;
  out: string;
  frameworks: Frameworks;
  /** Exceptions as configured now (posture.yaml); the ones applied at scan time are in each snapshot. */
  exceptions?: readonly ExceptionRule[];
  /** Current lifecycle record per fingerprint, from the finding state store, when there is one. */
  records?: (fingerprint: string) => Promise<FindingRecord | undefined>;
  now?: Date;
}

type HistoryEvent = { seq: number; scanId: string; at: string; event: 'opened' | 'closed' | 'reopened' | 'suppressed' | 'unsuppressed' };

interface FindingHistory {
  fingerprint: string;
  ruleId: string;
  assetId: string;
  path: string;
  firstSeenInPeriod: string;
  lastSeenInPeriod: string;
  openAtEnd: boolean;
  finding: Finding;
  suppression: { exceptionId: string; reason: string; owner: string } | null;
  history: HistoryEvent[];
  state: FindingRecord | null;
}

/** Fails when the store's chain or any snapshot in it has been altered. */
export function checkStore(store: SnapshotStore): ChainEntry[] {
  const chain = store.chain();
  let prev = genesis;
  for (const entry of chain) {
    if (entry.prev !== prev || entry.chain !== chainLink(prev, entry.sha256)) throw new HistoryError(`scan history chain is broken at scan ${entry.seq} (${entry.file})`);
    if (store.digestOf(entry) !== entry.sha256) throw new HistoryError(`snapshot ${entry.file} does not match its chain digest (edited after the scan?)`);
    prev = entry.chain;
  }
  return chain;
}

function findingHistories(snapshots: ScanSnapshot[]): FindingHistory[] {
  const byFp = new Map<string, FindingHistory>();
  const present = new Map<string, boolean>();
  const suppressed = new Map<string, boolean>();
  for (const snap of snapshots) {
    const seen = new Map(snap.findings.map((f) => [f.fingerprint, f]));
    const assets = new Set(snap.assets.map((a) => String(a.asset.id)));
    const evaluated = new Set(snap.policy.rules);
    const event = (h: FindingHistory, e: HistoryEvent['event']) => h.history.push({ seq: snap.seq, scanId: snap.scanId, at: snap.startedAt, event: e });
    for (const f of seen.values()) {
      let h = byFp.get(f.fingerprint);
      const sup = snap.suppressions[f.fingerprint] ?? null;
      if (!h) {
        h = { fingerprint: f.fingerprint, ruleId: f.ruleId, assetId: f.assetId, path: f.path, firstSeenInPeriod: snap.startedAt, lastSeenInPeriod: snap.startedAt, openAtEnd: true, finding: f, suppression: sup, history: [], state: null };
        byFp.set(f.fingerprint, h);
        event(h, 'opened');
      } else if (!present.get(f.fingerprint)) {
        event(h, 'reopened');
      }
      if (sup && !suppressed.get(f.fingerprint)) event(h, 'suppressed');
      if (!sup && suppressed.get(f.fingerprint)) event(h, 'unsuppressed');
      suppressed.set(f.fingerprint, Boolean(sup));
      Object.assign(h, { lastSeenInPeriod: snap.startedAt, finding: f, suppression: sup });
      present.set(f.fingerprint, true);
    }
    // Absent counts as closed only where this scan looked: the asset was collected and the rule evaluated.
    for (const h of byFp.values()) {
      if (!present.get(h.fingerprint) || seen.has(h.fingerprint)) continue;
      if (!assets.has(h.assetId) || !evaluated.has(h.ruleId)) continue;
      present.set(h.fingerprint, false);
      event(h, 'closed');
    }
  }
  for (const h of byFp.values()) h.openAtEnd = Boolean(present.get(h.fingerprint));
  return [...byFp.values()].sort((a, b) => a.assetId.localeCompare(b.assetId) || a.ruleId.localeCompare(b.ruleId) || a.path.localeCompare(b.path));
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Writes the bundle; `out` must be empty or absent so an old bundle is never half-overwritten. */
export async function writeEvidence(options: EvidenceOptions): Promise<EvidenceManifest> {
  if (options.from.getTime() > options.to.getTime()) throw new HistoryError(`--from ${options.from.toISOString()} is after --to ${options.to.toISOString()}`);
  if (existsSync(options.out) && readdirSync(options.out).length > 0) throw new HistoryError(`evidence directory ${options.out} is not empty; choose a new one`);
  const chain = checkStore(options.store);
  const inPeriod = chain.filter((e) => {
    const t = Date.parse(e.startedAt);
    return t >= options.from.getTime() && t <= options.to.getTime();
  });
  if (inPeriod.length === 0) throw new HistoryError(`no scans recorded in ${options.store.dir} between ${options.from.toISOString()} and ${options.to.toISOString()}`);
  const snapshots = inPeriod.map((e) => options.store.read(e));

  mkdirSync(path.join(options.out, 'scans'), { recursive: true });
  const files: EvidenceManifest['files'] = [];
  const write = (rel: string, text: string) => {
    writeFileSync(path.join(options.out, rel), text);
    files.push({ path: rel, sha256: sha256(text), bytes: Buffer.byteLength(text) });
  };
  for (const e of inPeriod) copyFileSync(path.join(options.store.dir, e.file), path.join(options.out, e.file));

  const histories = findingHistories(snapshots);
  if (options.records) for (const h of histories) h.state = (await options.records(h.fingerprint)) ?? null;
  write('findings.json', json({ period: { from: options.from.toISOString(), to: options.to.toISOString() }, findings: histories }));

  const applied = new Map<string, { exceptionId: string; owner: string; reason: string; fingerprints: Set<string> }>();
  for (const s of snapshots) {
    for (const [fp, sup] of Object.entries(s.suppressions)) {
      const a = applied.get(sup.exceptionId) ?? { ...sup, fingerprints: new Set<string>() };
      a.fingerprints.add(fp);
      applied.set(sup.exceptionId, a);
    }
  }
  write(
    'exceptions.json',
    json({
      configured: options.exceptions ?? [],
      applied: [...applied.values()].map((a) => ({ exceptionId: a.exceptionId, owner: a.owner, reason: a.reason, fingerprints: [...a.fingerprints].sort() })),
    }),
  );
  write('scores.json', json({ formula: scoringFormula, scans: snapshots.map((s) => ({ seq: s.seq, scanId: s.scanId, startedAt: s.startedAt, framework: s.framework, scores: s.scores, ...(s.outcomes ? { outcomes: s.outcomes } : {}) })) }));

  const bundles = new Map<string, { bundleDigest: string; version: string; scans: number[] }>();
  for (const s of snapshots) {
    const b = bundles.get(s.policy.bundleDigest) ?? { bundleDigest: `sha256:${s.policy.bundleDigest}`, version: s.policy.version, scans: [] };
    b.scans.push(s.seq);
    bundles.set(s.policy.bundleDigest, b);
  }
  const frameworkFiles = [...options.frameworks.values()].map((fw) => ({ id: fw.id, version: fw.version, mapping: fw.mapping, file: path.basename(fw.file), sha256: sha256(readFileSync(fw.file)) }));
  write('policy.json', json({ bundles: [...bundles.values()], frameworks: frameworkFiles }));

  const first = inPeriod[0]!;
  const last = inPeriod.at(-1)!;
  const manifest: EvidenceManifest = {
    v: 1,
    tool: 'posture',
    createdAt: (options.now ?? new Date()).toISOString(),
    period: { from: options.from.toISOString(), to: options.to.toISOString() },
    anchor: { seq: first.seq - 1, chain: first.prev },
    head: { seq: last.seq, chain: last.chain },
    scans: inPeriod,
    files,
  };
  writeFileSync(path.join(options.out, 'manifest.json'), json(manifest));
  return manifest;
}

export interface VerifyResult {
  ok: boolean;
  problems: string[];
  manifest: EvidenceManifest | null;
  /** sha256 of manifest.json: record it with the audit so the whole bundle is pinned. */
  manifestSha256: string | null;
}

/** Recomputes every digest and chain link; `history` additionally checks the head against a live store. */
export function verifyEvidence(dir: string, history?: SnapshotStore): VerifyResult {
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) return { ok: false, problems: [`${manifestFile} is missing`], manifest: null, manifestSha256: null };
  const manifestBytes = readFileSync(manifestFile);
  let manifest: EvidenceManifest;
  try {
    manifest = EvidenceManifest.parse(JSON.parse(manifestBytes.toString('utf8')));
  } catch (err) {
    return { ok: false, problems: [`manifest.json is not a posture evidence manifest: ${(err as Error).message.slice(0, 500)}`], manifest: null, manifestSha256: null };
  }
  const problems: string[] = [];
  const check = (rel: string, expected: string) => {
    const file = path.join(dir, rel);
    if (path.relative(dir, file).startsWith('..')) return problems.push(`${rel}: path leaves the bundle`);
    if (!existsSync(file)) return problems.push(`${rel}: missing`);
    if (sha256(readFileSync(file)) !== expected) problems.push(`${rel}: SHA-256 differs from the manifest (edited after export)`);
  };
  for (const f of manifest.files) check(f.path, f.sha256);
  let prev = manifest.anchor.chain;
  for (const e of manifest.scans) {
    check(e.file, e.sha256);
    if (e.prev !== prev) problems.push(`${e.file}: chain link does not follow the previous scan`);
    if (chainLink(e.prev, e.sha256) !== e.chain) problems.push(`${e.file}: chain value does not match its digest`);
    prev = e.chain;
    const file = path.join(dir, e.file);
    if (existsSync(file) && (!isV1(file) || statSync(file).size < maxSnapshotBytes)) {
      try {
        const named = checkSnapshotFile(file, e.file);
        if (named.seq !== e.seq || named.scanId !== e.scanId) problems.push(`${e.file}: names scan ${named.seq}/${named.scanId}, manifest says ${e.seq}/${e.scanId}`);
      } catch {
        problems.push(`${e.file}: not a scan snapshot`);
      }
    }
  }
  if (manifest.scans.length && prev !== manifest.head.chain) problems.push('manifest.json: head does not match the last scan in the chain');
  const listed = new Set(['manifest.json', ...manifest.files.map((f) => f.path), ...manifest.scans.map((s) => s.file)]);
  const walk = (rel: string): string[] =>
    readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(rel, d.name)) : [path.join(rel, d.name)]));
  for (const rel of walk('.').map((p) => path.normalize(p))) if (!listed.has(rel)) problems.push(`${rel}: not listed in the manifest`);
  if (history) {
    const live = history.chain().find((e) => e.seq === manifest.head.seq);
    if (!live) problems.push(`scan ${manifest.head.seq} is not in ${history.dir}`);
    else if (live.chain !== manifest.head.chain) problems.push(`manifest.json: head chain differs from ${history.dir} at scan ${live.seq} (bundle rewritten?)`);
  }
  return { ok: problems.length === 0, problems, manifest, manifestSha256: sha256(manifestBytes) };
}

