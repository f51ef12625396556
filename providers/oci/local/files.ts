// Read access to the files of a local image: a directory (OCI layout) or a tar archive (docker save,
// OCI archive), optionally gzipped. A plain tar is indexed once (name → byte range) so each blob is
// then read directly; a gzipped one is re-streamed up to the wanted entry, since gzip has no index.
import { createReadStream } from 'node:fs';
import { open as openFile, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { ImageScanError } from '../errors.ts';

export interface LocalFiles {
  readonly description: string;
  size(name: string): Promise<number | null>;
  read(name: string, maxBytes: number): Promise<Buffer>;
  open(name: string): Promise<Readable>;
}

function tooLarge(where: string, name: string, size: number, maxBytes: number): ImageScanError {
  return new ImageScanError('manifest-too-large', `${where}: ${name} is ${size} bytes, over the ${maxBytes}-byte limit`);
}

export class DirectoryFiles implements LocalFiles {
  constructor(private readonly root: string) {}
  get description(): string {
    return this.root;
  }

  private resolve(name: string): string {
    const full = normalize(join(this.root, name));
    if (!full.startsWith(normalize(this.root) + sep)) throw new ImageScanError('path-traversal', `${this.root}: "${name}" points outside the layout`);
    return full;
  }

  async size(name: string): Promise<number | null> {
    try {
      const s = await stat(this.resolve(name));
      return s.isFile() ? s.size : null;
    } catch {
      return null;
    }
  }

  async read(name: string, maxBytes: number): Promise<Buffer> {
    const size = await this.size(name);
    if (size === null) throw new ImageScanError('local-layout-invalid', `${this.root}: ${name} is missing`);
    if (size > maxBytes) throw tooLarge(this.root, name, size, maxBytes);
    const handle = await openFile(this.resolve(name));
    try {
      const buf = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buf, 0, size, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async open(name: string): Promise<Readable> {
    if ((await this.size(name)) === null) throw new ImageScanError('local-layout-invalid', `${this.root}: ${name} is missing`);
    return createReadStream(this.resolve(name), { highWaterMark: 256 * 1024 });
  }
}

interface TarEntry {
  /** Byte offset of the entry's data in the (uncompressed) archive; null for gzipped archives. */
  offset: number | null;
  size: number;
}

/** Entry names inside archives are compared without a leading "./". */
const clean = (name: string): string => name.replace(/^(\.\/)+/, '').replace(/^\/+/, '');

export class TarballFiles implements LocalFiles {
  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, TarEntry>,
  ) {}

  get description(): string {
    return this.file;
  }

  static async index(file: string, maxEntries = 100_000): Promise<TarballFiles> {
    const gzipped = await isGzip(file);
    const entries = new Map<string, TarEntry>();
    const extract = tarExtract();
    const done = pipeline(gzipped ? [createReadStream(file), createGunzip(), extract] : [createReadStream(file), extract]);
    done.catch(() => {});
    try {
      for await (const entry of extract) {
        const header = entry.header as typeof entry.header & { byteOffset?: number };
        if (entries.size >= maxEntries) throw new ImageScanError('file-limit', `${file}: more than ${maxEntries} entries; not an image archive`);
        if (header.type === 'file' || header.type === 'contiguous-file') {
          entries.set(clean(header.name), { offset: gzipped ? null : (header.byteOffset ?? null), size: header.size });
        }
        entry.resume();
      }
      await done;
    } catch (err) {
      if (err instanceof ImageScanError) throw err;
      throw new ImageScanError('local-layout-invalid', `${file}: not a readable tar archive (${(err as Error).message})`, { cause: err });
    }
    return new TarballFiles(file, entries);
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
    if (entry.size === 0) return createReadStream(this.file, { start: 1, end: 0 });
    if (entry.offset !== null) return createReadStream(this.file, { start: entry.offset, end: entry.offset + entry.size - 1, highWaterMark: 256 * 1024 });
    return this.streamEntry(clean(name));
  }

  /** Gzipped archives: decompress from the start and hand over the one entry's bytes. */
  private streamEntry(name: string): Readable {
    const out = new PassThrough({ highWaterMark: 256 * 1024 });
    const extract = tarExtract();
    const source = createReadStream(this.file);
    const stop = (): void => {
      source.destroy();
      extract.destroy();
    };
    out.on('close', stop);
    void (async () => {
      try {
        const done = pipeline(source, createGunzip(), extract);
        done.catch(() => {});
        for await (const entry of extract) {
          if (clean(entry.header.name) !== name) {
            entry.resume();
            continue;
          }
          for await (const chunk of entry) if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
          out.end();
          stop();
          return;
        }
        out.destroy(new ImageScanError('local-layout-invalid', `${this.file}: ${name} vanished from the archive`));
      } catch (err) {
        if (!out.destroyed) out.destroy(err as Error);
      }
    })();
    return out;
  }
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await openFile(file);
  try {
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    return head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}
