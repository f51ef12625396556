// The two kinds of analyzer. Filesystem analyzers judge the final filesystem (after every layer and
// whiteout) and may ask for the whole content of a few small files; content scanners see the head of
// every regular file in every layer as it streams past, so a file deleted later is still seen.
import type { ImageContents } from '../../../core/asset.ts';
import type { EntryMeta } from '../analysis/fs-tree.ts';
import type { ScanErrorLog } from '../analysis/scan-error-log.ts';

export interface FinalFilesystem {
  /** Every entry of the final filesystem, absolute paths. */
  entries(): Iterable<[string, EntryMeta]>;
  get(path: string): EntryMeta | null;
  /** Captured content of a file that is present in the final filesystem, or null. */
  content(path: string): Buffer | null;
  /** Captured files whose path matches, in the final filesystem only. */
  contents(match: (path: string) => boolean): Iterable<[string, Buffer]>;
}

export interface FilesystemAnalyzer {
  readonly name: string;
  /** Absolute paths whose whole content the analyzer needs (kept only up to the capture cap). */
  wantsContent?(path: string): boolean;
  analyze(fs: FinalFilesystem, out: ImageContents, errors: ScanErrorLog): void;
}

export interface ContentScanner {
  readonly name: string;
  /** `head` is the first bytes of a regular file (up to the per-file scan cap). */
  scan(path: string, head: Buffer, layer: number, out: ImageContents, errors: ScanErrorLog): void;
}
