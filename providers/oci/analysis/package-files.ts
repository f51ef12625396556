// Runs the package analyzers on every version of every candidate file as layers stream past, and at the
// end keeps what the final filesystem still holds. Each package is credited to the earliest layer from
// which its file listed it without a break (same name and version), so a base image's packages keep the
// base layer even after a later `apt-get install` rewrites the dpkg status file.
import type { ImagePackage } from '../../../core/asset.ts';
import { bufferSource, type ByteSource } from '../analyzers/byte-source.ts';
import type { FileRef, FoundPackage, OsInfo, PackageAnalyzer } from '../analyzers/types.ts';
import type { EntryMeta } from './fs-tree.ts';
import type { ScanErrorLog } from './scan-error-log.ts';
import { TempSpaceExceeded, type TempFile, type TempSpace } from './temp-space.ts';

/** Which analyzers want a file, and how many bytes to keep for them. */
export interface FilePlan {
  readonly analyzers: readonly PackageAnalyzer[];
  readonly keep: number;
  /** Analyzers that recognise files by their first bytes, for which this one is too large to read. */
  readonly oversized: readonly PackageAnalyzer[];
  readonly path: string;
  readonly size: number;
  readonly what: string;
}

interface Version {
  layer: number;
  analyzer: PackageAnalyzer;
  /** Kept whole for the newest version of the file only; older ones keep just their package keys. */
  packages: FoundPackage[] | null;
  keys: Set<string>;
}

const keyOf = (p: FoundPackage): string => `${p.subPath ?? ''}\0${p.name}\0${p.version}`;

export class PackageFileCollector {
  private readonly versions = new Map<string, Version[]>();

  constructor(
    private readonly analyzers: readonly PackageAnalyzer[],
    private readonly errors: ScanErrorLog,
    /** The image-wide cap (Limits.maxPackageFileBytes); each analyzer may have a lower one. */
    private readonly maxBytes: number,
    /** Where large files read by position go, and where those readers unpack what they must. */
    private readonly temp: TempSpace,
  ) {}

  /** Null when no analyzer wants the file; a too-large candidate is recorded and skipped. */
  plan(file: FileRef, what: string): FilePlan | null {
    const wanted: PackageAnalyzer[] = [];
    const oversized: PackageAnalyzer[] = [];
    for (const a of this.analyzers) {
      if (!a.matches(file)) continue;
      if (file.size <= this.limitOf(a)) wanted.push(a);
      // A binary is known only by its first bytes, so a large file that merely might be one is judged after them.
      else if (a.sniff) oversized.push(a);
      else this.tooLarge(a, file.path, file.size, what);
    }
    if (!wanted.length && !oversized.length) return null;
    const keep = wanted.length ? Math.min(file.size, Math.max(...wanted.map((a) => this.limitOf(a)))) : 0;
    return { analyzers: wanted, keep, oversized, path: file.path, size: file.size, what };
  }

  /** Drops analyzers whose magic number does not match the file's first bytes; reports a real binary too large to read. */
  sniff(plan: FilePlan, head: Buffer): FilePlan | null {
    for (const a of plan.oversized) if (a.sniff!(head)) this.tooLarge(a, plan.path, plan.size, plan.what);
    const analyzers = plan.analyzers.filter((a) => !a.sniff || a.sniff(head));
    return analyzers.length ? { ...plan, analyzers, oversized: [] } : null;
  }

  private limitOf(a: PackageAnalyzer): number {
    return Math.min(a.maxBytes, this.maxBytes);
  }

  private tooLarge(a: PackageAnalyzer, path: string, size: number, what: string): void {
    this.errors.add('package-file-too-large', `${what}: ${path} is ${size} bytes, over the ${this.limitOf(a)}-byte limit of the ${a.name} analyzer; its packages are not listed`);
  }

  /** Whether the file goes to a temporary file: it is large, and every analyzer that wants it reads by position. */
  spools(plan: FilePlan): boolean {
    return plan.keep > this.temp.spoolAbove && plan.analyzers.every((a) => a.read);
  }

  /** A temporary file for a large candidate, or null (reported) when the temporary space cannot take it. */
  spool(plan: FilePlan): TempFile | null {
    try {
      return this.temp.create(plan.size, `${plan.what}: ${plan.path}`);
    } catch (err) {
      if (!(err instanceof TempSpaceExceeded)) throw err;
      this.errors.add('temp-space-limit', `${err.message}; its packages are not listed`);
      return null;
    }
  }

  /**
   * Runs the plan's analyzers on the file's content (in memory, or a temporary file read by position). Returns
   * a promise only when an analyzer works asynchronously (a zip reader), so the common case stays synchronous.
   */
  record(file: FileRef, content: Buffer | ByteSource, layer: number, plan: FilePlan, what: string): Promise<void> | void {
    const source = Buffer.isBuffer(content) ? bufferSource(content) : content;
    for (const [i, analyzer] of plan.analyzers.entries()) {
      let result: FoundPackage[] | Promise<FoundPackage[]>;
      try {
        if (analyzer.read) result = analyzer.read({ ...file, source, unpacker: this.temp }, this.errors);
        else if (Buffer.isBuffer(content)) result = analyzer.analyze({ ...file, content }, this.errors);
        else throw new Error('a file held on disk reached an analyzer that reads whole files');
      } catch (err) {
        this.failed(analyzer, file, what, err);
        continue;
      }
      if (!(result instanceof Promise)) {
        this.keep(analyzer, file, layer, result);
        continue;
      }
      const rest = { ...plan, analyzers: plan.analyzers.slice(i + 1) };
      return result.then(
        (packages) => this.keep(analyzer, file, layer, packages),
        (err: unknown) => this.failed(analyzer, file, what, err),
      ).then(() => this.record(file, content, layer, rest, what));
    }
  }

  private failed(analyzer: PackageAnalyzer, file: FileRef, what: string, err: unknown): void {
    if (err instanceof TempSpaceExceeded) this.errors.add('temp-space-limit', `${what}: ${file.path}: ${err.message}; the ${analyzer.name} analyzer's packages in it are not listed`);
    else this.errors.add('package-file-invalid', `${what}: ${file.path} could not be read by the ${analyzer.name} analyzer (${(err as Error).message}); its packages are not listed`);
  }

  private keep(analyzer: PackageAnalyzer, file: FileRef, layer: number, packages: FoundPackage[]): void {
    const key = `${analyzer.name}\0${file.path}`;
    const history = this.versions.get(key) ?? [];
    const previous = history.at(-1);
    if (previous) previous.packages = null;
    if (previous?.layer === layer) history.pop();
    history.push({ layer, analyzer, packages, keys: new Set(packages.map(keyOf)) });
    this.versions.set(key, history);
  }

  /** The packages of files that are still in the final filesystem, as the layer that last wrote them left them. */
  finish(lookup: (path: string) => EntryMeta | null, os: OsInfo, layerDigests: readonly string[]): ImagePackage[] {
    const out: ImagePackage[] = [];
    const installed = new Set<string>();
    const declared: ImagePackage[] = [];
    for (const [key, history] of this.versions) {
      const path = key.slice(key.indexOf('\0') + 1);
      const newest = history.at(-1)!;
      const meta = lookup(path);
      if (meta?.type !== 'file' || meta.layer !== newest.layer) continue;
      for (const found of newest.packages ?? []) {
        let layer = newest.layer;
        const k = keyOf(found);
        for (let i = history.length - 2; i >= 0 && history[i]!.keys.has(k); i--) layer = history[i]!.layer;
        const { purl, ecosystem } = newest.analyzer.identify(found, os);
        const pkg: ImagePackage = {
          name: found.name,
          version: found.version,
          manager: newest.analyzer.manager,
          ecosystem,
          purl,
          layer,
          layerDigest: layerDigests[layer] ?? null,
          path: found.subPath ? `${path}${found.subPath}` : path,
          source: found.source ?? null,
          ...(found.arch ? { arch: found.arch } : {}),
        };
        if (found.declaredOnly) declared.push(pkg);
        else {
          installed.add(`${pkg.manager}\0${pkg.name}\0${pkg.version}`);
          out.push(pkg);
        }
      }
    }
    // A lockfile entry adds something only when no installed copy of that name and version was found.
    for (const pkg of declared) if (!installed.has(`${pkg.manager}\0${pkg.name}\0${pkg.version}`)) out.push(pkg);
    return out;
  }
}
