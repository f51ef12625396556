// Streams one layer through decompression and tar parsing, applying each entry to the filesystem tree
// and handing file heads to the content scanners. Content is read chunk by chunk and dropped; only files
// an analyzer asked for are kept (up to the capture cap). The stages form one pipeline from the first
// byte, so a failure anywhere (digest, decoder, tar, budget, deadline) is one error, never an unheard one.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract as tarExtract, type Extract, type ExtractEvents, type Header } from 'tar-stream';
import { stripControl } from '../../../core/terminal.ts';
import { ImageScanError } from '../errors.ts';
import type { ImageContents } from '../../../core/asset.ts';
import type { Limits } from '../limits.ts';
import type { ContentScanner, FilesystemAnalyzer } from '../analyzers/index.ts';
import type { FileRef } from '../analyzers/types.ts';
import { BudgetCounter, decompressStage, type ByteBudget } from './decompress.ts';
import { checkEntryPath, hardlinkEscapes, symlinkEscapes } from './entry-path.ts';
import { TreeBudgetExceeded, type EntryType, type FilesystemTree } from './fs-tree.ts';
import type { FilePlan, PackageFileCollector } from './package-files.ts';
import type { ScanErrorLog } from './scan-error-log.ts';
import type { TempFile, TempSpace } from './temp-space.ts';

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
  /** Large package files go here while they are analyzed. */
  temp: TempSpace;
  /** The analysis the walk is waiting for (a large file read asynchronously); it never rejects. */
  pending: Promise<void> | null;
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

/**
 * Walks one layer. `source` yields the compressed blob, already wrapped in its digest check.
 * Entries are handled from tar-stream's `entry` event, synchronously: most entries of an image are small
 * files, and an async iteration per entry and per body (promises, microtasks) cost more than the entry.
 * Whatever the handler throws destroys the extractor, so it ends the pipeline like any other failure.
 */
export async function walkLayer(source: Readable, layer: number, what: string, state: WalkState, signal?: AbortSignal): Promise<void> {
  const extract = tarExtract();
  extract.on('entry', (header: Header, body: EntryBody, next: () => void) => {
    try {
      handleEntry(header, body, next, layer, what, state, extract);
    } catch (err) {
      extract.destroy(err as Error);
    }
  });
  try {
    await pipeline(source, decompressStage(what), new BudgetCounter(state.budget, what), extract, ...(signal ? [{ signal }] : []));
  } catch (err) {
    // An analysis still reading a temporary file finishes before the caller removes it.
    await state.pending;
    throw classify(err, what);
  } finally {
    state.pending = null;
  }
}

/** What tar-stream hands over for an entry's content (a streamx Readable). */
type EntryBody = ExtractEvents['entry'][1];

// An entry's stream fails only when the extractor does, and that failure reaches the pipeline; the
// listener keeps the entry's own copy of it from being an unhandled `error` event.
const ignore = (): void => {};

function handleEntry(header: Header, body: EntryBody, next: () => void, layer: number, what: string, state: WalkState, extract: Extract): void {
  const { limits, errors, tree } = state;
  if (++state.files > limits.maxFiles) {
    extract.destroy(new ImageScanError('file-limit', `${what}: more than ${limits.maxFiles} entries across the image's layers; analysis stopped`));
    return;
  }
  body.on('error', ignore);
  const verdict = checkEntryPath(header.name, limits.maxPathLength);
  if (!verdict.ok) {
    errors.add(verdict.code, `${what}: ${verdict.reason}; entry skipped`);
    return skip(body, next);
  }
  const path = verdict.path;
  if (!path) return skip(body, next); // "./" itself
  const slash = path.lastIndexOf('/');
  if (path.startsWith(whiteoutPrefix, slash + 1)) {
    const parent = slash < 0 ? '' : path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (name === opaqueMarker) record(state, what, () => tree.opaque(parent, layer));
    // `.wh..wh.*` other than the opaque marker are AUFS bookkeeping, not deletions.
    else if (!name.startsWith(`${whiteoutPrefix}${whiteoutPrefix}`)) tree.whiteout(parent, name.slice(whiteoutPrefix.length));
    return skip(body, next);
  }
  const type = entryType(header.type);
  const linkTarget = header.linkname ?? null;
  if (type === 'symlink' && linkTarget !== null && symlinkEscapes(path, linkTarget)) {
    errors.add('symlink-escape', `${what}: symlink ${stripControl(`/${path} -> ${linkTarget}`)} points outside the image root; entry skipped`);
    return skip(body, next);
  }
  if (type === 'hardlink' && linkTarget !== null && hardlinkEscapes(linkTarget)) {
    errors.add('hardlink-escape', `${what}: hard link ${stripControl(`/${path} -> ${linkTarget}`)} points outside the image; entry skipped`);
    return skip(body, next);
  }
  const mode = (header.mode ?? 0) & 0o7777;
  const size = header.size ?? 0;
  const meta = { type, mode, uid: header.uid ?? 0, gid: header.gid ?? 0, linkTarget, layer };
  if (!state.treeFull) {
    try {
      tree.put(path, meta);
    } catch (err) {
      treeFull(state, what, err);
    }
  }
  if (type !== 'file' || !size) return skip(body, next);
  const reader = new FileReader({ path: `/${path}`, size, mode }, layer, what, state);
  body.on('data', (chunk) => reader.write(chunk as Buffer)); // tar-stream pushes Buffers
  body.on('end', () => {
    const analyzing = reader.end();
    if (!analyzing) return next();
    // The next entry waits (and the stream with it) until a large file's analysis is done.
    state.pending = analyzing.then(next, (err: Error) => void extract.destroy(err));
  });
}

/** Discards an entry's content (tar-stream still has to be read past it) and moves on. */
function skip(body: EntryBody, next: () => void): void {
  body.on('end', next);
  body.resume();
}

/** Applies a change to the tree unless its budget is spent; the first breach is reported, later ones skipped. */
function record(state: WalkState, what: string, change: () => void): void {
  if (state.treeFull) return;
  try {
    change();
  } catch (err) {
    treeFull(state, what, err);
  }
}

function treeFull(state: WalkState, what: string, err: unknown): void {
  if (!(err instanceof TreeBudgetExceeded)) throw err;
  state.treeFull = true;
  state.errors.add('tree-limit', `${what}: ${err.message}; later entries are scanned for secrets but left out of the filesystem analysis`);
}

/**
 * One regular file's content as it streams past: the head for the content scanners, the whole file (up
 * to the capture cap) for a filesystem analyzer that asked, or for a package analyzer. The rest is dropped.
 */
class FileReader {
  private readonly capture: boolean;
  private readonly headLimit: number;
  private readonly baseLimit: number;
  private packagePlan: FilePlan | null;
  private keepLimit: number;
  // A file a package analyzer reads whole goes into one buffer of its size, filled in place, so a large
  // binary is held once; other files keep slices of the stream's chunks (the head, or a captured file).
  private whole: Buffer | null = null;
  /** A large file whose analyzers read by position goes to disk instead (see temp-space.ts). */
  private spool: TempFile | null = null;
  private readonly slices: Buffer[] = [];
  private keptBytes = 0;
  private first = true;

  constructor(
    private readonly file: FileRef,
    private readonly layer: number,
    private readonly what: string,
    private readonly state: WalkState,
  ) {
    const { limits } = state;
    const { path, size } = file;
    this.capture = state.analyzers.some((a) => a.wantsContent?.(path));
    const captureLimit = Math.min(limits.maxCapturedFileBytes, Math.max(0, limits.maxCapturedFileBytes * 2 - state.capturedBytes));
    this.headLimit = Math.min(limits.secretScanBytes, size);
    this.packagePlan = state.packages.plan(file, what);
    this.baseLimit = this.capture ? Math.max(this.headLimit, Math.min(size, captureLimit)) : this.headLimit;
    this.keepLimit = Math.max(this.baseLimit, this.packagePlan?.keep ?? 0);
  }

  write(chunk: Buffer): void {
    if (this.first) {
      this.first = false;
      const { packages } = this.state;
      if (this.packagePlan) this.packagePlan = packages.sniff(this.packagePlan, chunk);
      if (this.packagePlan && packages.spools(this.packagePlan)) {
        this.spool = packages.spool(this.packagePlan);
        if (!this.spool) this.packagePlan = null;
      }
      const inMemory = this.packagePlan && !this.spool;
      this.keepLimit = Math.max(this.baseLimit, inMemory ? this.packagePlan!.keep : 0);
      if (inMemory) this.whole = Buffer.allocUnsafe(this.keepLimit);
    }
    if (this.spool) this.toDisk(chunk);
    if (this.keptBytes >= this.keepLimit) return; // drain the rest without holding it
    const n = Math.min(chunk.length, this.keepLimit - this.keptBytes);
    if (this.whole) chunk.copy(this.whole, this.keptBytes, 0, n);
    else this.slices.push(n < chunk.length ? chunk.subarray(0, n) : chunk);
    this.keptBytes += n;
  }

  private toDisk(chunk: Buffer): void {
    try {
      this.spool!.write(chunk);
    } catch (err) {
      // A full disk costs this file's packages, not the walk.
      this.spool!.remove();
      this.spool = null;
      this.packagePlan = null;
      this.state.errors.add('temp-space-limit', `${this.what}: ${this.file.path}: its temporary copy could not be written (${(err as Error).message}); its packages are not listed`);
    }
  }

  /** A promise when a package analyzer is still at work (the caller waits before the next entry). */
  end(): Promise<void> | void {
    const { state, file, layer, what, keptBytes, slices, packagePlan, spool } = this;
    const { path, size } = file;
    const content = this.whole ? this.whole.subarray(0, keptBytes) : slices.length === 1 ? slices[0]! : Buffer.concat(slices, keptBytes);
    const head = content.length > this.headLimit ? content.subarray(0, this.headLimit) : content;
    for (const scanner of state.scanners) scanner.scan(path, head, layer, state.contents, state.errors);
    let analyzing: Promise<void> | void = undefined;
    if (spool) {
      try {
        if (packagePlan && spool.complete) analyzing = state.packages.record(file, spool.source(), layer, packagePlan, what);
      } finally {
        if (analyzing) analyzing = analyzing.finally(() => spool.remove());
        else spool.remove();
      }
    } else if (packagePlan && keptBytes === size) analyzing = state.packages.record(file, content, layer, packagePlan, what);
    this.captureContent(content, keptBytes);
    return analyzing;
  }

  /** Keeps the whole content of a file a filesystem analyzer asked for (up to the capture cap). */
  private captureContent(content: Buffer, keptBytes: number): void {
    const { state, file, what } = this;
    const { path, size } = file;
    if (!this.capture) return;
    if (size > keptBytes) {
      state.errors.add('content-truncated', `${what}: ${path} is ${size} bytes; only the first ${keptBytes} were read for analysis`);
    }
    // Copy so the kept buffer does not pin a larger pooled chunk.
    const previous = state.captured.get(path);
    state.capturedBytes += content.length - (previous?.content.length ?? 0);
    state.captured.set(path, { content: Buffer.from(content), layer: this.layer });
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
