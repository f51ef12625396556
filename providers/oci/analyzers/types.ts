// The two kinds of analyzer. Filesystem analyzers judge the final filesystem (after every layer and
// whiteout) and may ask for the whole content of a few small files; content scanners see the head of
// every regular file in every layer as it streams past, so a file deleted later is still seen.
import type { Readable } from 'node:stream';
import type { ImageContents, PackageManager } from '../../../core/asset.ts';
import type { EntryMeta } from '../analysis/fs-tree.ts';
import type { ScanErrorLog } from '../analysis/scan-error-log.ts';
import type { ByteSource } from './byte-source.ts';

export interface FinalFilesystem {
  /**
   * Every entry of the final filesystem, absolute paths; with `keep`, only those it accepts (a pass that
   * wants a few entries of many judges the metadata first, so the other paths are never built).
   */
  entries(keep?: (meta: EntryMeta) => boolean): Iterable<[string, EntryMeta]>;
  /** The entries directly inside a directory, by name (none when it is absent). */
  list(dir: string): Iterable<[string, EntryMeta]>;
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

/** A file as the layer walk sees it, before its content is read. */
export interface FileRef {
  /** Absolute path in the image. */
  readonly path: string;
  readonly size: number;
  readonly mode: number;
}

/** The final filesystem's operating system, which OS package ecosystems and purls depend on. */
export type OsInfo = ImageContents['os'];

/** A package as an analyzer reads it; the collector adds layer, path, ecosystem and purl. */
export interface FoundPackage {
  /** The name as OSV writes it: `@scope/name` (npm), `group:artifact` (Maven), the module path (Go). */
  name: string;
  version: string;
  source?: { name: string; version: string } | null;
  arch?: string;
  /** RPM epoch (kept apart for the purl's `epoch` qualifier; `version` already carries it). */
  epoch?: number;
  /** From a lockfile or other declaration, not an installed copy: dropped when an installed one is found. */
  declaredOnly?: boolean;
  /** Where inside the file the package was found, for nested archives (`!/WEB-INF/lib/x.jar`). */
  subPath?: string;
}

/**
 * Package analyzers read package databases, manifests and binaries in every layer as they stream past,
 * so the layer that introduced each package is known. One analyzer per ecosystem; each is bounded by
 * `maxBytes` (files over it are skipped, and say so) and by its own caps on what it parses. Text formats
 * get the whole file in memory (`analyze`); binaries, archives and databases are read by position (`read`),
 * from memory when small and from a private temporary copy when large, so their memory stays flat.
 */
interface PackageAnalyzerBase {
  readonly name: string;
  readonly manager: PackageManager;
  /** Cheap test on path, size and mode: could this file hold packages? */
  matches(file: FileRef): boolean;
  /** Optional test on the first bytes (a magic number), so only real candidates are kept. */
  sniff?(head: Buffer): boolean;
  /** Largest file read; a larger matching file is skipped with a `package-file-too-large` error. */
  readonly maxBytes: number;
  /** The purl and OSV ecosystem of a package, given the image's OS (for OS packages). */
  identify(pkg: FoundPackage, os: OsInfo): { purl: string; ecosystem: string | null };
}

/** Reads a whole file held in memory. Bad content is recorded on `errors` or thrown, and then reported. */
export interface BufferAnalyzer extends PackageAnalyzerBase {
  analyze(file: FileRef & { content: Buffer }, errors: ScanErrorLog): FoundPackage[];
  read?: never;
}

/** Where a reader may put what it unpacks (a nested archive too large to hold in memory). */
export interface Unpacker {
  /** Entries larger than this go to a temporary file instead of memory. */
  readonly spoolAbove: number;
  /** Writes a stream of `size` bytes to a private temporary file, counted against the image's temporary space. */
  spool(stream: Readable, size: number, what: string): Promise<{ source(): ByteSource; remove(): void }>;
}

/** Reads a file by position, so only the parts it needs are ever in memory. */
export interface SourceAnalyzer extends PackageAnalyzerBase {
  read(file: FileRef & { source: ByteSource; unpacker: Unpacker }, errors: ScanErrorLog): FoundPackage[] | Promise<FoundPackage[]>;
  analyze?: never;
}

export type PackageAnalyzer = BufferAnalyzer | SourceAnalyzer;
