// Scan history for drift and audit evidence: every scan writes one snapshot file (normalized assets,
// findings, exceptions that applied, scores) under <dir>/scans, and appends a line to <dir>/chain.jsonl:
//   chain[n] = sha256(chain[n-1] + ":" + sha256(snapshot file bytes)),  chain[0] = 64 zeros
// so editing, removing or reordering any earlier snapshot breaks every later link. The chain is
// kept beside the snapshots (not in the finding state store) because it is append-only and
// content-addressed, which neither state backend needs.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, rmdirSync, statSync, appendFileSync, existsSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Asset } from './asset.ts';
import { canonicalJsonChunks, sha256 } from './canonical.ts';
import { batched } from './text-chunks.ts';
import { Finding } from './finding.ts';
import type { ScanResult } from './scan.ts';
import type { ComplianceScores } from './scores.ts';
import { countOutcomes, unjudgedPairs } from './outcomes.ts';
import { rawDigestIn } from './raw-digests.ts';

export const defaultHistoryDir = '.posture/history';
export const genesis = '0'.repeat(64);
/** A snapshot larger than this is refused on read (a hostile or corrupted history must not exhaust memory). */
export const maxSnapshotBytes = 256 * 1024 * 1024;

/** The asset document without `raw`, plus a digest of `raw` so provider-side changes still show. */
export const AssetSnapshot = z.object({ asset: z.record(z.string(), z.unknown()), rawSha256: z.string() });
export type AssetSnapshot = z.infer<typeof AssetSnapshot>;

const Suppression = z.object({ exceptionId: z.string(), reason: z.string(), owner: z.string() });

export const ScanSnapshot = z.object({
  v: z.literal(1),
  seq: z.number().int().positive(),
  scanId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  policy: z.object({
    bundleDigest: z.string(),
    version: z.string(),
    rules: z.array(z.string()),
    /** Rule → its earlier ids (METADATA aliases), so drift across a rename or merge compares like with like (absent in older snapshots). */
    aliases: z.record(z.string(), z.array(z.string())).optional(),
  }),
  framework: z.string().nullable(),
  assets: z.array(AssetSnapshot),
  findings: z.array(Finding),
  /** Fingerprint → the exception that covered the finding at scan time. */
  suppressions: z.record(z.string(), Suppression),
  scores: z.array(
    z.object({
      scope: z.string(),
      label: z.string(),
      assets: z.number(),
      frameworks: z.array(
        z.object({
          id: z.string(),
          score: z.number().nullable(),
          controls: z.array(
            z.object({
              id: z.string(),
              assessed: z.number(),
              passed: z.number(),
              /** Assets the control's rules apply to but could not judge (absent in snapshots before outcomes). */
              notEvaluated: z.number().optional(),
              status: z.enum(['pass', 'fail', 'not-assessed', 'manual']).optional(),
            }),
          ),
        }),
      ),
    }),
  ),
  errors: z.array(z.object({ source: z.string(), message: z.string() })),
  /** (rule, asset) outcome counts and the pairs that could not be judged (absent in snapshots before outcomes). */
  outcomes: z
    .object({
      counts: z.record(z.string(), z.number()),
      unjudged: z.array(z.object({ assetId: z.string(), ruleId: z.string(), outcome: z.enum(['not-evaluated', 'manual']), reason: z.string(), detail: z.string() })),
    })
    .optional(),
});
export type ScanSnapshot = z.infer<typeof ScanSnapshot>;

export const ChainEntry = z.object({
  seq: z.number().int().positive(),
  scanId: z.string(),
  startedAt: z.string(),
  file: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  prev: z.string().regex(/^[0-9a-f]{64}$/),
  chain: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ChainEntry = z.infer<typeof ChainEntry>;

export const chainLink = (prev: string, fileSha256: string) => sha256(`${prev}:${fileSha256}`);

/** `rawSha256`: the digest of the asset's `raw` (core/raw-digests.ts: computed, or kept when `raw` was released). */
export function snapshotAsset(asset: Asset, rawSha256: string): AssetSnapshot {
  const { raw: _raw, ...rest } = asset;
  return { asset: rest as Record<string, unknown>, rawSha256 };
}

export class HistoryError extends Error {
  override name = 'HistoryError';
}

/** Serializes writers across processes with an atomic mkdir; a lock older than a minute is stale. */
function withLock<T>(dir: string, fn: () => T): T {
  const lock = path.join(dir, '.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() - statSync(lock).mtimeMs > 60_000) {
        rmdirSync(lock);
        continue;
      }
      if (attempt > 200) throw new HistoryError(`scan history ${dir} is locked by another writer (${lock})`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
  try {
    return fn();
  } finally {
    rmdirSync(lock);
  }
}

export class SnapshotStore {
  constructor(readonly dir: string = defaultHistoryDir) {}

  private get chainFile() {
    return path.join(this.dir, 'chain.jsonl');
  }

  /** The chain as written, validated line by line (a damaged line is named). */
  chain(): ChainEntry[] {
    if (!existsSync(this.chainFile)) return [];
    return readFileSync(this.chainFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((line, i) => {
        const parsed = ChainEntry.safeParse((() => {
          try {
            return JSON.parse(line) as unknown;
          } catch {
            return null;
          }
        })());
        if (!parsed.success) throw new HistoryError(`${this.chainFile} line ${i + 1} is not a chain entry`);
        return parsed.data;
      });
  }

  /** Writes the snapshot and its chain link; returns the link. */
  append(snapshot: Omit<ScanSnapshot, 'seq' | 'v'>): ChainEntry {
    mkdirSync(path.join(this.dir, 'scans'), { recursive: true });
    return withLock(this.dir, () => {
      const chain = this.chain();
      const last = chain.at(-1);
      const seq = (last?.seq ?? 0) + 1;
      const full: ScanSnapshot = { v: 1, seq, ...snapshot };
      const file = `scans/${String(seq).padStart(6, '0')}-${snapshot.scanId}.json`;
      const tmp = path.join(this.dir, `${file}.tmp`);
      // Written and hashed a piece (an asset, a finding) at a time: the canonical JSON of a large scan is never
      // one string. The bytes are canonicalJson(full) and a newline, as they always were.
      const hasher = createHash('sha256');
      const fd = openSync(tmp, 'w');
      try {
        for (const piece of batched(canonicalJsonChunks(full))) {
          const bytes = Buffer.from(piece, 'utf8');
          hasher.update(bytes);
          writeSync(fd, bytes);
        }
        hasher.update('\n');
        writeSync(fd, '\n');
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path.join(this.dir, file));
      const digest = hasher.digest('hex');
      const prev = last?.chain ?? genesis;
      const entry: ChainEntry = { seq, scanId: snapshot.scanId, startedAt: snapshot.startedAt, file, sha256: digest, prev, chain: chainLink(prev, digest) };
      appendFileSync(this.chainFile, `${JSON.stringify(entry)}\n`);
      return entry;
    });
  }

  /** Raw bytes of a snapshot file, bounded. */
  readBytes(entry: ChainEntry): Buffer {
    const file = path.join(this.dir, entry.file);
    if (!existsSync(file)) throw new HistoryError(`snapshot ${file} (scan ${entry.seq}) is missing`);
    const size = statSync(file).size;
    if (size > maxSnapshotBytes) throw new HistoryError(`snapshot ${file} is ${size} bytes; the limit is ${maxSnapshotBytes}`);
    return readFileSync(file);
  }

  read(entry: ChainEntry): ScanSnapshot {
    const bytes = this.readBytes(entry);
    if (sha256(bytes) !== entry.sha256) throw new HistoryError(`snapshot ${entry.file} does not match its chain digest (edited after the scan?)`);
    const parsed = ScanSnapshot.safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) throw new HistoryError(`snapshot ${entry.file} is not a scan snapshot: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }

  /** A scan by sequence number, scan id, or `latest` / `previous`. */
  find(ref: string): ChainEntry {
    const chain = this.chain();
    if (chain.length === 0) throw new HistoryError(`no scans recorded in ${this.dir} yet (run \`posture scan\` first)`);
    const hit =
      ref === 'latest' ? chain.at(-1) : ref === 'previous' ? chain.at(-2) : /^\d+$/.test(ref) ? chain.find((e) => e.seq === Number(ref)) : chain.find((e) => e.scanId === ref);
    if (!hit) throw new HistoryError(ref === 'previous' ? `only one scan recorded in ${this.dir}; nothing to compare with` : `no scan "${ref}" in ${this.dir}`);
    return hit;
  }

  list(): string[] {
    const dir = path.join(this.dir, 'scans');
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  }
}

/** The snapshot of one finished scan (what `posture scan` records). */
export function snapshotOf(
  result: ScanResult,
  scores: ComplianceScores,
  extra: { policyVersion: string; suppressions: ScanSnapshot['suppressions'] },
): Omit<ScanSnapshot, 'seq' | 'v'> {
  return {
    scanId: result.scanId,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    policy: {
      bundleDigest: result.bundleDigest,
      version: extra.policyVersion,
      rules: result.rules.map((r) => r.id),
      aliases: Object.fromEntries(result.rules.filter((r) => r.aliases.length).map((r) => [r.id, r.aliases])),
    },
    framework: scores.framework,
    assets: result.assets.map((asset) => snapshotAsset(asset, rawDigestIn(result, asset))),
    findings: result.findings,
    suppressions: extra.suppressions,
    scores: [scores.all, ...scores.clouds, ...scores.accounts].map((s) => ({
      scope: s.key,
      label: s.label,
      assets: s.assets,
      frameworks: s.frameworks.map((f) => ({
        id: f.id,
        score: f.score,
        controls: f.controls.filter((c) => !c.manual).map((c) => ({ id: c.id, assessed: c.assessed, passed: c.passed, notEvaluated: c.notEvaluated, status: c.status })),
      })),
    })),
    errors: result.errors,
    outcomes: { counts: countOutcomes(result.outcomes, result.rules), unjudged: unjudgedPairs(result) },
  };
}
