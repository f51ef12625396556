// Read access to the files of a local image: a directory (OCI layout) or a tar archive (docker save,
// OCI archive), optionally gzipped. A tar is indexed once (name → byte range) so each blob is then read
// directly. gzip has no index, so a gzipped archive is inflated once into a private temporary file (its
// size counted against the uncompressed-bytes cap) and indexed like a plain one; re-inflating the whole
// archive for every blob would make a small archive of many layers cost minutes of CPU.
// A layout directory is a user's input like any other: a blob or index that is a link leading out of the
// layout is refused and never read, and every file is opened non-blocking and must be regular, so a FIFO
// named like a blob cannot stop the scan.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { BudgetCounter } from '../analysis/decompress.ts';
import { ImageScanError } from '../errors.ts';
import { openRegular, tooLarge, type LocalFiles } from './directory-files.ts';

export { DirectoryFiles, openRegular, type LocalFiles } from './directory-files.ts';

interface TarEntry {
  /** Byte offset of the entry's data in the (uncompressed) archive. */
  offset: number;
  size: number;
}

/** Entry names inside archives are compared without a leading "./". */
const clean = (name: string): string => name.replace(/^(\.\/)+/, '').replace(/^\/+/, '');

export interface TarballOptions {
  /** Entries an image archive may hold (it holds one file per blob, plus a few). */
  maxEntries?: number;
  /** Largest inflated size of a gzipped archive (the uncompressed-bytes cap). */
  maxInflatedBytes?: number;
}

export class TarballFiles implements LocalFiles {
  private constructor(
    /** The archive as named by the user (for messages). */
    private readonly file: string,
    /** The plain tar read from: the archive itself, or its inflated copy. */
    private readonly tar: string,
    private readonly entries: Map<string, TarEntry>,
    private readonly tempDir: string | null,
  ) {}

  get description(): string {
    return this.file;
  }

  static async index(file: string, options: TarballOptions = {}): Promise<TarballFiles> {
    const maxEntries = options.maxEntries ?? 100_000;
    let tar = file;
    let tempDir: string | null = null;
    try {
      if (await isGzip(file)) {
        tempDir = await mkdtemp(join(tmpdir(), 'posture-archive-'));
        tar = join(tempDir, 'archive.tar');
        await inflate(file, tar, options.maxInflatedBytes ?? Number.MAX_SAFE_INTEGER);
      }
      return new TarballFiles(file, tar, await indexTar(file, tar, maxEntries), tempDir);
    } catch (err) {
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
      throw err;
    }
  }

  has(name: string): boolean {
    return this.entries.has(clean(name));
  }

  async size(name: string): Promise<number | null> {
    return this.entries.get(clean(name))?.size ?? null;
  }

  async read(name: string, maxBytes: number): Promise<Buffer> {
    const entry = this.entries.get(clean(name));
    if (!entry) throw new ImageScanError('local-layout-invalid', `${this.file}: ${name} is missing from the archive`);
    if (entry.size > maxBytes) throw tooLarge(this.file, name, entry.size, maxBytes);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.open(name)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async open(name: string): Promise<Readable> {
    const entry = this.entries.get(clean(name));
    if (!entry) throw new ImageScanError('local-layout-invalid', `${this.file}: ${name} is missing from the archive`);
    if (entry.size === 0) return createReadStream(this.tar, { start: 1, end: 0 });
    return createReadStream(this.tar, { start: entry.offset, end: entry.offset + entry.size - 1, highWaterMark: 256 * 1024 });
  }

  async close(): Promise<void> {
    if (this.tempDir) await rm(this.tempDir, { recursive: true, force: true });
  }
}

async function inflate(file: string, out: string, maxBytes: number): Promise<void> {
  try {
    await pipeline(createReadStream(file), createGunzip(), new BudgetCounter({ used: 0, limit: maxBytes }, file), createWriteStream(out, { mode: 0o600 }));
  } catch (err) {
    if (err instanceof ImageScanError) throw err;
    throw new ImageScanError('local-layout-invalid', `${file}: not a readable gzip archive (${(err as Error).message})`, { cause: err });
  }
}

async function indexTar(file: string, tar: string, maxEntries: number): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  const extract = tarExtract();
  const done = pipeline(createReadStream(tar), extract);
  done.catch(() => {});
  try {
    for await (const entry of extract) {
      const header = entry.header as typeof entry.header & { byteOffset?: number };
      if (entries.size >= maxEntries) throw new ImageScanError('file-limit', `${file}: more than ${maxEntries} entries; not an image archive`);
      if ((header.type === 'file' || header.type === 'contiguous-file') && header.byteOffset !== undefined) {
        entries.set(clean(header.name), { offset: header.byteOffset, size: header.size ?? 0 });
      }
      entry.resume();
    }
    await done;
  } catch (err) {
    if (err instanceof ImageScanError) throw err;
    throw new ImageScanError('local-layout-invalid', `${file}: not a readable tar archive (${(err as Error).message})`, { cause: err });
  }
  return entries;
}

async function isGzip(file: string): Promise<boolean> {
  const opened = await openRegular(file);
  if (!opened) throw new ImageScanError('local-layout-invalid', `${file}: not a regular file; not read`);
  try {
    const head = Buffer.alloc(2);
    await opened.handle.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await opened.handle.close();
  }
}
