// Scan history for drift and audit evidence: every scan writes one snapshot file (normalized assets,
// findings, exceptions that applied, scores) under <dir>/scans, and appends a line to <dir>/chain.jsonl:
//   chain[n] = sha256(chain[n-1] + ":" + sha256(snapshot file bytes)),  chain[0] = 64 zeros
// so editing, removing or reordering any earlier snapshot breaks every later link. The chain is
// kept beside the snapshots (not in the finding state store) because it is append-only and
// content-addressed, which neither state backend needs.
//
// Snapshot files:
//   v2 (written now): JSON Lines, each line canonical JSON: a header (the scan and its policy), then one record
//       per asset id in ascending order (the asset, its findings, the exceptions that covered them, the pairs
//       left unjudged), then an end line (scores, errors, outcome counts). Written, hashed, read and diffed a
//       record at a time, so the history costs no memory that grows with the estate.
//   v1 (earlier scans): one canonical JSON document. Still read (whole, as before) and diffed.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, rmdirSync, statSync, appendFileSync, existsSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Asset } from './asset.ts';
import { canonicalJson, sha256 } from './canonical.ts';
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
const Suppressions = z.record(z.string(), Suppression);

const Policy = z.object({
  bundleDigest: z.string(),
  version: z.string(),
  rules: z.array(z.string()),
  /** Rule → its earlier ids (METADATA aliases), so drift across a rename or merge compares like with like (absent in older snapshots). */
  aliases: z.record(z.string(), z.array(z.string())).optional(),
});
export type SnapshotPolicy = z.infer<typeof Policy>;

const Scores = z.array(
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
);
const ScanErrors = z.array(z.object({ source: z.string(), message: z.string() }));
const UnjudgedPair = z.object({ assetId: z.string(), ruleId: z.string(), outcome: z.enum(['not-evaluated', 'manual']), reason: z.string(), detail: z.string() });

/** What says which scan a snapshot records and the policy that judged it: a v1 file's top level, a v2 file's header. */
const scanFields = {
  seq: z.number().int().positive(),
  scanId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  policy: Policy,
  framework: z.string().nullable(),
};

/** A whole snapshot in memory (what a v1 file is; what evidence and tests read a v2 file as). */
export const ScanSnapshot = z.object({
  v: z.union([z.literal(1), z.literal(2)]),
  ...scanFields,
  assets: z.array(AssetSnapshot),
  findings: z.array(Finding),
  /** Fingerprint → the exception that covered the finding at scan time. */
  suppressions: Suppressions,
  scores: Scores,
  errors: ScanErrors,
  /** (rule, asset) outcome counts and the pairs that could not be judged (absent in snapshots before outcomes). */
  outcomes: z.object({ counts: z.record(z.string(), z.number()), unjudged: z.array(UnjudgedPair) }).optional(),
});
export type ScanSnapshot = z.infer<typeof ScanSnapshot>;

/** v2, first line: the scan and the policy that judged it. */
export const SnapshotHeader = z.object({ v: z.literal(2), ...scanFields });
export type SnapshotHeader = z.infer<typeof SnapshotHeader>;

/**
 * v2, one line per asset id, in ascending code-unit order of the id: the asset (none when only findings name
 * the id; more than one if a scan held the id twice), its findings in scan order, the exceptions that covered
 * them, and its (rule, asset) pairs that could not be judged.
 */
export const SnapshotRecord = z.object({
  id: z.string(),
  assets: z.array(AssetSnapshot),
  findings: z.array(Finding),
  suppressions: Suppressions,
  unjudged: z.array(UnjudgedPair),
});
export type SnapshotRecord = z.infer<typeof SnapshotRecord>;

/** v2, last line: what belongs to the scan as a whole. */
export const SnapshotEnd = z.object({
  scores: Scores,
  errors: ScanErrors,
  outcomeCounts: z.record(z.string(), z.number()),
  /** Exceptions matched to a fingerprint no record holds (none, as posture writes them; kept for completeness). */
  suppressions: Suppressions,
});
export type SnapshotEnd = z.infer<typeof SnapshotEnd>;

const RecordLine = z.object({ asset: SnapshotRecord }).strict();
const EndLine = z.object({ end: SnapshotEnd }).strict();

/** What `SnapshotStore.append` writes: the header fields, the records (ascending id, made while written) and the end. */
export interface SnapshotParts {
  header: Omit<SnapshotHeader, 'v' | 'seq'>;
  records: Iterable<SnapshotRecord>;
  end: SnapshotEnd;
}

/** A snapshot read a record at a time (v2 from its file; v1 or an in-memory snapshot regrouped). */
export interface SnapshotStream {
  header: Omit<SnapshotHeader, 'v'> & { v: 1 | 2 };
  /**
   * The records in ascending id order; iterate once, to the end. Reading a file to its end checks its digest
   * against the chain and its layout, and throws (HistoryError) if either is wrong.
   */
  records(): Iterable<SnapshotRecord>;
}

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

/** A v2 line longer than this is refused on read (one asset's record; a whole v1 file has maxSnapshotBytes). */
export const maxRecordBytes = 64 * 1024 * 1024;

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
type UnjudgedPair = z.infer<typeof UnjudgedPair>;
const byAssetThenRule = (a: UnjudgedPair, b: UnjudgedPair) => a.assetId.localeCompare(b.assetId) || a.ruleId.localeCompare(b.ruleId);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Assets, findings and unjudged pairs regrouped into records by asset id, ascending. Each record is made when
 * it is reached (`snap` turns an asset into its snapshot then), so only references are held meanwhile.
 */
function* recordsOf<A>(
  assets: readonly A[],
  idOf: (asset: A) => string,
  snap: (asset: A) => AssetSnapshot,
  findings: readonly Finding[],
  suppressions: Readonly<Record<string, z.infer<typeof Suppression>>>,
  unjudged: (id: string) => UnjudgedPair[],
): Generator<SnapshotRecord> {
  const assetsById = new Map<string, A[]>();
  for (const asset of assets) push(assetsById, idOf(asset), asset);
  const findingsById = new Map<string, Finding[]>();
  for (const f of findings) push(findingsById, f.assetId, f);
  const ids = [...new Set([...assetsById.keys(), ...findingsById.keys()])].sort(byCodeUnits);
  for (const id of ids) {
    const held = findingsById.get(id) ?? [];
    const covered: Record<string, z.infer<typeof Suppression>> = {};
    for (const f of held) if (Object.hasOwn(suppressions, f.fingerprint)) covered[f.fingerprint] = suppressions[f.fingerprint]!;
    yield { id, assets: (assetsById.get(id) ?? []).map(snap), findings: held, suppressions: covered, unjudged: unjudged(id) };
  }
}

/** Exceptions matched to a fingerprint none of the findings has (what a record cannot hold). */
function unheldSuppressions(findings: readonly Finding[], suppressions: Readonly<Record<string, z.infer<typeof Suppression>>>) {
  const held = new Set(findings.map((f) => f.fingerprint));
  return Object.fromEntries(Object.entries(suppressions).filter(([fp]) => !held.has(fp)));
}

/**
 * A whole snapshot as a stream of records: how a v1 file (and an in-memory snapshot) is diffed. Earlier ids
 * that only the findings name (snapshots before `policy.aliases`) are folded into the header's aliases.
 */
export function streamOfWhole(snapshot: ScanSnapshot): SnapshotStream {
  const aliases = new Map<string, Set<string>>(Object.entries(snapshot.policy.aliases ?? {}).map(([rule, ids]) => [rule, new Set(ids)]));
  for (const f of snapshot.findings) for (const id of f.aliases ?? []) (aliases.get(f.ruleId) ?? aliases.set(f.ruleId, new Set()).get(f.ruleId)!).add(id);
  const unjudged = new Map<string, UnjudgedPair[]>();
  for (const pair of snapshot.outcomes?.unjudged ?? []) push(unjudged, pair.assetId, pair);
  return {
    header: {
      v: snapshot.v,
      seq: snapshot.seq,
      scanId: snapshot.scanId,
      startedAt: snapshot.startedAt,
      finishedAt: snapshot.finishedAt,
      policy: { ...snapshot.policy, aliases: Object.fromEntries([...aliases].map(([rule, ids]) => [rule, [...ids]])) },
      framework: snapshot.framework,
    },
    records: () => recordsOf(snapshot.assets, (s) => String(s.asset.id), (s) => s, snapshot.findings, snapshot.suppressions, (id) => unjudged.get(id) ?? []),
  };
}

/** Lines of a file, read 1 MiB at a time with every byte hashed; a line longer than `maxLine` bytes is refused. */
function* fileLines(file: string, hasher: Hash, maxLine: number): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      const chunk = buffer.subarray(0, n);
      hasher.update(chunk);
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (pendingBytes + nl - start > maxLine) throw new HistoryError(`${file}: a line is longer than ${maxLine} bytes`);
        const text = pendingBytes ? Buffer.concat([...pending, chunk.subarray(start, nl)]).toString('utf8') : chunk.toString('utf8', start, nl);
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
        yield text;
      }
      if (start < n) {
        pendingBytes += n - start;
        if (pendingBytes > maxLine) throw new HistoryError(`${file}: a line is longer than ${maxLine} bytes`);
        pending.push(Buffer.from(chunk.subarray(start)));
      }
    }
    if (pendingBytes) yield Buffer.concat(pending).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function parseLine<T>(schema: z.ZodType<T>, line: string, where: string): T {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new HistoryError(`${where} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new HistoryError(`${where} is not what a scan snapshot holds there: ${z.prettifyError(parsed.error).slice(0, 500)}`);
  return parsed.data;
}

/** The start of every v1 file: canonical JSON puts `assets` first. */
const v1Start = Buffer.from('{"assets":');

/** Whether a snapshot file is v1 (one canonical JSON document: `assets` is its first key). */
export function isV1(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(v1Start.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(v1Start);
  } finally {
    closeSync(fd);
  }
}

/**
 * A v2 file as a stream: the header is read now, each record when reached. Read to the end, the records are
 * checked for order and layout, the file's digest against `sha256` (when given), and `end()` gives the end line.
 * `name` names the file in errors.
 */
export function streamV2(file: string, name: string, sha256?: string): SnapshotStream & { end: () => SnapshotEnd } {
  const hasher = createHash('sha256');
  const lines = fileLines(file, hasher, maxRecordBytes);
  let header: SnapshotHeader;
  try {
    const first = lines.next();
    if (first.done) throw new HistoryError(`snapshot ${name} is empty`);
    header = parseLine(SnapshotHeader, first.value, `snapshot ${name} line 1`);
  } catch (err) {
    lines.return(undefined);
    throw err;
  }
  let used = false;
  let ended: SnapshotEnd | undefined;
  const records = function* (): Generator<SnapshotRecord> {
    if (used) throw new Error(`snapshot ${name} was already read`);
    used = true;
    let number = 1;
    let previous: string | undefined;
    for (const line of { [Symbol.iterator]: () => lines }) {
      number++;
      const where = `snapshot ${name} line ${number}`;
      if (ended) throw new HistoryError(`${where}: nothing may follow the end line`);
      if (line.startsWith('{"end":')) {
        ended = parseLine(EndLine, line, where).end;
        continue;
      }
      const record = parseLine(RecordLine, line, where).asset;
      if (previous !== undefined && byCodeUnits(previous, record.id) >= 0) throw new HistoryError(`${where}: asset ${record.id} is out of order (after ${previous})`);
      previous = record.id;
      yield record;
    }
    if (!ended) throw new HistoryError(`snapshot ${name} ends without its end line (cut short?)`);
    if (sha256 !== undefined && hasher.digest('hex') !== sha256) throw new HistoryError(`snapshot ${name} does not match its chain digest (edited after the scan?)`);
  };
  const end = () => {
    if (!ended) throw new Error(`snapshot ${name}: its records were not read to the end`);
    return ended;
  };
  return { header, records, end };
}

/** Checks a snapshot file of either version whole (layout and schema, not its digest); returns the scan it names. */
export function checkSnapshotFile(file: string, name: string): { seq: number; scanId: string } {
  if (isV1(file)) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new HistoryError(`snapshot ${name} is not JSON`);
    }
    const parsed = ScanSnapshot.safeParse(value);
    if (!parsed.success || parsed.data.v !== 1) throw new HistoryError(`snapshot ${name} is not a scan snapshot`);
    return parsed.data;
  }
  const stream = streamV2(file, name);
  for (const _record of stream.records());
  return stream.header;
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

  /**
   * Writes the snapshot (v2: a line at a time, hashed as written) and its chain link; returns the link. The
   * records are made while they are written, so the file is never whole in memory.
   */
  append(snapshot: SnapshotParts): ChainEntry {
    mkdirSync(path.join(this.dir, 'scans'), { recursive: true });
    return withLock(this.dir, () => {
      const chain = this.chain();
      const last = chain.at(-1);
      const seq = (last?.seq ?? 0) + 1;
      const header: SnapshotHeader = { v: 2, seq, ...snapshot.header };
      const file = `scans/${String(seq).padStart(6, '0')}-${header.scanId}.json`;
      const tmp = path.join(this.dir, `${file}.tmp`);
      const hasher = createHash('sha256');
      const fd = openSync(tmp, 'w');
      try {
        const lines = function* () {
          yield `${canonicalJson(header)}\n`;
          let previous: string | undefined;
          for (const record of snapshot.records) {
            if (previous !== undefined && byCodeUnits(previous, record.id) >= 0) throw new HistoryError(`snapshot records out of order: ${record.id} after ${previous}`);
            previous = record.id;
            yield `${canonicalJson({ asset: record })}\n`;
          }
          yield `${canonicalJson({ end: snapshot.end })}\n`;
        };
        for (const piece of batched(lines())) {
          const bytes = Buffer.from(piece, 'utf8');
          hasher.update(bytes);
          writeSync(fd, bytes);
        }
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path.join(this.dir, file));
      const digest = hasher.digest('hex');
      const prev = last?.chain ?? genesis;
      const entry: ChainEntry = { seq, scanId: header.scanId, startedAt: header.startedAt, file, sha256: digest, prev, chain: chainLink(prev, digest) };
      appendFileSync(this.chainFile, `${JSON.stringify(entry)}\n`);
      return entry;
    });
  }

  private fileOf(entry: ChainEntry): string {
    const file = path.join(this.dir, entry.file);
    if (!existsSync(file)) throw new HistoryError(`snapshot ${file} (scan ${entry.seq}) is missing`);
    return file;
  }

  /** Raw bytes of a snapshot file, bounded. */
  readBytes(entry: ChainEntry): Buffer {
    const file = this.fileOf(entry);
    const size = statSync(file).size;
    if (size > maxSnapshotBytes) throw new HistoryError(`snapshot ${file} is ${size} bytes; the limit is ${maxSnapshotBytes}`);
    return readFileSync(file);
  }

  /** sha256 of a snapshot file, read a piece at a time (any size). */
  digestOf(entry: ChainEntry): string {
    const hasher = createHash('sha256');
    const fd = openSync(this.fileOf(entry), 'r');
    try {
      const buffer = Buffer.allocUnsafe(1 << 20);
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hasher.update(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    return hasher.digest('hex');
  }

  /**
   * A snapshot to read a record at a time. v2 is streamed: the header is read now, each record when reached,
   * and the digest checked against the chain at the end. A v1 file is read whole (bounded), as before.
   */
  open(entry: ChainEntry): SnapshotStream {
    const file = this.fileOf(entry);
    return isV1(file) ? streamOfWhole(this.read(entry)) : streamV2(file, entry.file, entry.sha256);
  }

  /** A whole snapshot in memory (evidence; `posture diff` and the scan stream instead), either version. */
  read(entry: ChainEntry): ScanSnapshot {
    const bytes = this.readBytes(entry);
    if (sha256(bytes) !== entry.sha256) throw new HistoryError(`snapshot ${entry.file} does not match its chain digest (edited after the scan?)`);
    if (bytes.subarray(0, v1Start.length).equals(v1Start)) {
      const parsed = ScanSnapshot.safeParse(JSON.parse(bytes.toString('utf8')));
      if (!parsed.success || parsed.data.v !== 1) throw new HistoryError(`snapshot ${entry.file} is not a scan snapshot: ${parsed.success ? 'a v1 file says v2' : z.prettifyError(parsed.error)}`);
      return parsed.data;
    }
    return this.wholeOfV2(entry);
  }

  private wholeOfV2(entry: ChainEntry): ScanSnapshot {
    const stream = streamV2(this.fileOf(entry), entry.file, entry.sha256);
    const { v: _v, ...header } = stream.header;
    const assets: AssetSnapshot[] = [];
    const findings: Finding[] = [];
    const unjudged: UnjudgedPair[] = [];
    const suppressions: ScanSnapshot['suppressions'] = {};
    for (const record of stream.records()) {
      assets.push(...record.assets);
      findings.push(...record.findings);
      unjudged.push(...record.unjudged);
      Object.assign(suppressions, record.suppressions);
    }
    const end = stream.end();
    return {
      v: 2,
      ...header,
      assets,
      findings,
      suppressions: { ...suppressions, ...end.suppressions },
      scores: end.scores,
      errors: end.errors,
      outcomes: { counts: end.outcomeCounts, unjudged: unjudged.sort(byAssetThenRule) },
    };
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

/**
 * The snapshot of one finished scan (what `posture scan` records): its records are made from the result as the
 * file is written, an asset at a time.
 */
export function snapshotParts(
  result: ScanResult,
  scores: ComplianceScores,
  extra: { policyVersion: string; suppressions: ScanSnapshot['suppressions'] },
): SnapshotParts {
  const outcomesById = new Map<string, ScanResult['outcomes']>();
  for (const o of result.outcomes) push(outcomesById, o.assetId, o);
  return {
    header: {
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
    },
    records: recordsOf(
      result.assets,
      (a) => a.id,
      (a) => snapshotAsset(a, rawDigestIn(result, a)),
      result.findings,
      extra.suppressions,
      (id) => unjudgedPairs({ outcomes: outcomesById.get(id) ?? [] }),
    ),
    end: {
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
      outcomeCounts: countOutcomes(result.outcomes, result.rules),
      suppressions: unheldSuppressions(result.findings, extra.suppressions),
    },
  };
}

/** The same snapshot whole, as a v1 file held it (tests, and whatever diffs in memory). */
export function snapshotOf(
  result: ScanResult,
  scores: ComplianceScores,
  extra: { policyVersion: string; suppressions: ScanSnapshot['suppressions'] },
): Omit<ScanSnapshot, 'seq' | 'v'> {
  const parts = snapshotParts(result, scores, extra);
  return {
    ...parts.header,
    assets: result.assets.map((asset) => snapshotAsset(asset, rawDigestIn(result, asset))),
    findings: result.findings,
    suppressions: extra.suppressions,
    scores: parts.end.scores,
    errors: parts.end.errors,
    outcomes: { counts: parts.end.outcomeCounts, unjudged: unjudgedPairs(result) },
  };
}
