// Reads OSV JSON documents from an ecosystem archive (the bucket's `all.zip`) or a local directory (an
// air-gapped mirror, the Go vulnerability database's data/osv). Bounded: entry count, bytes per record
// and total bytes; yauzl checks each entry's declared size against what inflates, so a zip bomb that
// lies about its sizes fails instead of filling memory. A broken archive throws (the caller rolls back);
// a broken record is reported and skipped.
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import yauzl from 'yauzl';

export interface ReadLimits {
  maxEntries: number;
  maxRecordBytes: number;
  maxTotalBytes: number;
}

export const defaultReadLimits: ReadLimits = { maxEntries: 2_000_000, maxRecordBytes: 32 * 1024 * 1024, maxTotalBytes: 16 * 1024 ** 3 };

export interface RawDocument {
  /** Archive member or file path, for error messages. */
  origin: string;
  text: string;
}

export class ArchiveError extends Error {
  override name = 'ArchiveError';
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) =>
      err || !zip ? reject(new ArchiveError(`${file} is not a readable zip archive: ${err?.message ?? 'no archive'}`)) : resolve(zip),
    ),
  );
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number, origin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(new ArchiveError(`${origin}: ${err?.message ?? 'cannot be read'}`));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          stream.destroy(new ArchiveError(`${origin} inflates past the ${limit}-byte record limit`));
          return;
        }
        chunks.push(c);
      });
      stream.on('error', (e) => reject(e instanceof ArchiveError ? e : new ArchiveError(`${origin}: ${e.message}`)));
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

export async function* readZip(file: string, limits: ReadLimits = defaultReadLimits): AsyncGenerator<RawDocument> {
  const zip = await openZip(file);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ArchiveError(`${file} lists ${zip.entryCount} entries, more than the ${limits.maxEntries} allowed`);
  }
  let total = 0;
  const queue: (yauzl.Entry | Error | null)[] = [];
  let wake: (() => void) | null = null;
  const push = (v: yauzl.Entry | Error | null) => {
    queue.push(v);
    wake?.();
    wake = null;
  };
  zip.on('entry', (e: yauzl.Entry) => push(e));
  zip.on('end', () => push(null));
  zip.on('error', (e: Error) => push(new ArchiveError(`${file} is corrupt: ${e.message}`)));
  zip.readEntry();
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((r) => (wake = r));
      const item = queue.shift()!;
      if (item === null) return;
      if (item instanceof Error) throw item;
      const origin = `${file}:${item.fileName}`;
      if (!item.fileName.endsWith('/') && item.fileName.endsWith('.json')) {
        if (item.uncompressedSize > limits.maxRecordBytes) throw new ArchiveError(`${origin} declares ${item.uncompressedSize} bytes, more than the ${limits.maxRecordBytes}-byte record limit`);
        total += item.uncompressedSize;
        if (total > limits.maxTotalBytes) throw new ArchiveError(`${file} inflates past the ${limits.maxTotalBytes}-byte archive limit`);
        yield { origin, text: await readEntry(zip, item, limits.maxRecordBytes, origin) };
      }
      zip.readEntry();
    }
  } finally {
    zip.close();
  }
}

/** *.json files under a directory (symlinks are not followed: a mirror is plain files). */
export async function* readDirectory(dir: string, limits: ReadLimits = defaultReadLimits): AsyncGenerator<RawDocument> {
  let count = 0;
  let total = 0;
  const walk = async function* (d: string): AsyncGenerator<RawDocument> {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) yield* walk(p);
      else if (e.isFile() && e.name.endsWith('.json')) {
        if (++count > limits.maxEntries) throw new ArchiveError(`${dir} holds more than ${limits.maxEntries} records`);
        const info = await lstat(p);
        if (info.size > limits.maxRecordBytes) throw new ArchiveError(`${p} is ${info.size} bytes, more than the ${limits.maxRecordBytes}-byte record limit`);
        total += info.size;
        if (total > limits.maxTotalBytes) throw new ArchiveError(`${dir} holds more than ${limits.maxTotalBytes} bytes of records`);
        yield { origin: p, text: await readFile(p, 'utf8') };
      }
    }
  };
  yield* walk(dir);
}

export async function sha256File(file: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}
