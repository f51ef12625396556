// Zip archives (Java archives, zipped Python eggs) read with yauzl from a ByteSource: the central directory and
// each wanted entry by position, so an archive is never held whole, whether it is in memory or in a temporary
// file. Reads are synchronous positional reads handed back asynchronously, as yauzl expects.
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { chunksOf, readLimited, type ByteSource } from './byte-source.ts';

class SourceReader extends yauzl.RandomAccessReader {
  constructor(private readonly src: ByteSource) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(chunksOf(this.src, start, end));
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    try {
      const got = this.src.read(position, length);
      if (got.length < length) throw new Error('zip structure runs past the end of the file');
      got.copy(buffer, offset);
      setImmediate(callback, null);
    } catch (err) {
      setImmediate(callback, err as Error);
    }
  }
}

// Names are taken as stored (UTF-8 when the entry says so, else Latin-1) and never used as paths, so yauzl's
// own name checks, which refuse a whole archive for one `../` entry, are not wanted; nor its refusal of a
// stored entry whose two sizes differ: each read is held to the size the central directory claims instead.
const zipOptions = { decodeStrings: false, validateEntrySizes: false, strictFileNames: false, autoClose: false } as const;

export async function openZip(src: ByteSource): Promise<yauzl.ZipFile> {
  const zip = await yauzl.fromRandomAccessReaderPromise(new SourceReader(src), src.size, zipOptions);
  zip.on('error', () => {}); // every failure also rejects the read that caused it
  return zip;
}

export const nameOf = (e: yauzl.Entry): string => (e.fileNameRaw as Buffer).toString(e.generalPurposeBitFlag & 0x800 ? 'utf8' : 'latin1');

/** One entry inflated into memory, refused past `limit` bytes whatever its header claimed. */
export async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number, name: string): Promise<Buffer> {
  return readLimited(await zip.openReadStreamPromise(entry), limit, name);
}
