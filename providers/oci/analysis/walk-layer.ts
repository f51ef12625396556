// Streams one layer through decompression and tar parsing, applying each entry to the filesystem tree
// and handing file heads to the content scanners. Content is read chunk by chunk and dropped; only files
// an analyzer asked for are kept (up to the capture cap). The stages form one pipeline from the first
// byte, so a failure anywhere (digest, decoder, tar, budget, deadline) is one error, never an unheard one.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract as tarExtract, type Extract, type Header } from 'tar-stream';
import { stripControl } from '../../../core/terminal.ts';
import { ImageScanError } from '../errors.ts';
import type { ImageContents } from '../../../core/asset.ts';
import type { Limits } from '../limits.ts';
import type { ContentScanner, FilesystemAnalyzer } from '../analyzers/index.ts';
import type { FileRef } from '../analyzers/types.ts';
import { BudgetCounter, decompressStage, type ByteBudget } from './decompress.ts';
import { checkEntryPath, hardlinkEscapes, symlinkEscapes } from './entry-path.ts';
import { TreeBudgetExceeded, type EntryType, type FilesystemTree } from './fs-tree.ts';
import type { PackageFileCollector } from './package-files.ts';
import type { ScanErrorLog } from './scan-error-log.ts';

export interface CapturedFile {
  content: Buffer;
  layer: number;
}

/** Everything a layer walk reads and updates; shared by all layers of one image. */
export interface WalkState {
  tree: FilesystemTree;
  captured: Map<string, CapturedFile>;
  capturedBytes: number;
  budget: ByteBudget;
  /** Set once the tree budget is spent: later entries are still scanned for content but not recorded. */
  treeFull: boolean;
  files: number;
  limits: Limits;
  errors: ScanErrorLog;
  contents: ImageContents;
  analyzers: readonly FilesystemAnalyzer[];
  scanners: readonly ContentScanner[];
  packages: PackageFileCollector;
}

const whiteoutPrefix = '.wh.';
const opaqueMarker = '.wh..wh..opq';

function entryType(type: Header['type']): EntryType {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'dir';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    default:
      return 'other';
  }
}

/** Walks one layer. `source` yields the compressed blob, already wrapped in its digest check. */
export async function walkLayer(source: Readable, layer: number, what: string, state: WalkState, signal?: AbortSignal): Promise<void> {
  const extract = tarExtract();
  const piped = pipeline(source, decompressStage(what), new BudgetCounter(state.budget, what), extract, ...(signal ? [{ signal }] : []));
  piped.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
  try {
    for await (const entry of extract) {
      await handleEntry(entry.header, entry as unknown as EntryBody, layer, what, state, extract);
    }
    await piped;
  } catch (err) {
    throw classify(err, what);
  }
}

type EntryBody = AsyncIterable<Buffer>;

async function handleEntry(header: Header, body: EntryBody, layer: number, what: string, state: WalkState, extract: Extract): Promise<void> {
  const { limits, errors, tree } = state;
  if (++state.files > limits.maxFiles) {
    extract.destroy(new ImageScanError('file-limit', `${what}: more than ${limits.maxFiles} entries across the image's layers; analysis stopped`));
    return;
  }
  const verdict = checkEntryPath(header.name, limits.maxPathLength);
  if (!verdict.ok) {
    errors.add(verdict.code, `${what}: ${verdict.reason}; entry skipped`);
    return drain(body);
  }
  const segments = verdict.segments;
  if (segments.length === 0) return drain(body); // "./" itself
  const name = segments[segments.length - 1]!;
  const parent = segments.slice(0, -1);
  if (name === opaqueMarker) {
    record(state, what, () => tree.opaque(parent, layer));
    return drain(body);
  }
  if (name.startsWith(whiteoutPrefix)) {
    // `.wh..wh.*` other than the opaque marker are AUFS bookkeeping, not deletions.
    if (!name.startsWith(`${whiteoutPrefix}${whiteoutPrefix}`)) tree.whiteout(parent, name.slice(whiteoutPrefix.length));
    return drain(body);
  }
  const type = entryType(header.type);
  const linkTarget = header.linkname ?? null;
  if (type === 'symlink' && linkTarget !== null && symlinkEscapes(segments, linkTarget)) {
    errors.add('symlink-escape', `${what}: symlink ${stripControl(`/${segments.join('/')} -> ${linkTarget}`)} points outside the image root; entry skipped`);
    return drain(body);
  }
  if (type === 'hardlink' && linkTarget !== null && hardlinkEscapes(linkTarget)) {
    errors.add('hardlink-escape', `${what}: hard link ${stripControl(`/${segments.join('/')} -> ${linkTarget}`)} points outside the image; entry skipped`);
    return drain(body);
  }
  const mode = (header.mode ?? 0) & 0o7777;
  record(state, what, () => tree.put(segments, { type, mode, uid: header.uid ?? 0, gid: header.gid ?? 0, size: header.size ?? 0, linkTarget, layer }));
  if (type !== 'file' || !header.size) return drain(body);
  await readFile({ path: `/${segments.join('/')}`, size: header.size, mode }, body, layer, what, state);
}

/** Applies a change to the tree unless its budget is spent; the first breach is reported, later ones skipped. */
function record(state: WalkState, what: string, change: () => void): void {
  if (state.treeFull) return;
  try {
    change();
  } catch (err) {
    if (!(err instanceof TreeBudgetExceeded)) throw err;
    state.treeFull = true;
    state.errors.add('tree-limit', `${what}: ${err.message}; later entries are scanned for secrets but left out of the filesystem analysis`);
  }
}

async function readFile(file: FileRef, body: EntryBody, layer: number, what: string, state: WalkState): Promise<void> {
  const { limits } = state;
  const { path, size } = file;
  const capture = state.analyzers.some((a) => a.wantsContent?.(path));
  const captureLimit = Math.min(limits.maxCapturedFileBytes, Math.max(0, limits.maxCapturedFileBytes * 2 - state.capturedBytes));
  const headLimit = Math.min(limits.secretScanBytes, size);
  let packagePlan = state.packages.plan(file, what);
  const baseLimit = capture ? Math.max(headLimit, Math.min(size, captureLimit)) : headLimit;
  let keepLimit = Math.max(baseLimit, packagePlan?.keep ?? 0);
  // A file a package analyzer reads whole goes into one buffer of its size, filled in place, so a large
  // binary is held once; other files keep slices of the stream's chunks (the head, or a captured file).
  let whole: Buffer | null = null;
  const slices: Buffer[] = [];
  let keptBytes = 0;
  let first = true;
  for await (const chunk of body) {
    if (first) {
      first = false;
      if (packagePlan) packagePlan = state.packages.sniff(packagePlan, chunk);
      keepLimit = Math.max(baseLimit, packagePlan?.keep ?? 0);
      if (packagePlan) whole = Buffer.allocUnsafe(keepLimit);
    }
    if (keptBytes >= keepLimit) continue; // drain the rest without holding it
    const n = Math.min(chunk.length, keepLimit - keptBytes);
    if (whole) chunk.copy(whole, keptBytes, 0, n);
    else slices.push(n < chunk.length ? chunk.subarray(0, n) : chunk);
    keptBytes += n;
  }
  const content = whole ? whole.subarray(0, keptBytes) : slices.length === 1 ? slices[0]! : Buffer.concat(slices, keptBytes);
  const head = content.length > headLimit ? content.subarray(0, headLimit) : content;
  for (const scanner of state.scanners) scanner.scan(path, head, layer, state.contents, state.errors);
  if (packagePlan && keptBytes === size) state.packages.record(file, content, layer, packagePlan, what);
  if (!capture) return;
  if (size > keptBytes) {
    state.errors.add('content-truncated', `${what}: ${path} is ${size} bytes; only the first ${keptBytes} were read for analysis`);
  }
  // Copy so the kept buffer does not pin a larger pooled chunk.
  const previous = state.captured.get(path);
  state.capturedBytes += content.length - (previous?.content.length ?? 0);
  state.captured.set(path, { content: Buffer.from(content), layer });
}

async function drain(body: EntryBody): Promise<void> {
  for await (const _ of body) {
    // discard
  }
}

/** Maps zlib, zstd and tar-stream failures to the scan error a user can act on. */
function classify(err: unknown, what: string): unknown {
  if (err instanceof ImageScanError) return err;
  const e = err as { code?: string; message?: string; name?: string };
  if (e.name === 'AbortError') return err;
  const codec = e.code?.startsWith('Z_') ? '.gz' : e.code?.startsWith('ZSTD_') ? '.zst' : '';
  if (e.code === 'Z_BUF_ERROR' || e.code === 'ZSTD_error_srcSize_wrong' || /unexpected end/i.test(e.message ?? '')) {
    return new ImageScanError('layer-truncated', `${what}: layer data ends early (${e.message})`, { cause: err });
  }
  if (codec || /tar|header|invalid/i.test(e.message ?? '')) {
    return new ImageScanError('layer-corrupt', `${what}: layer is not a readable tar${codec} (${e.message})`, { cause: err });
  }
  return err;
}
