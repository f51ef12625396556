// A file's bytes read by position, whether held in memory (small files) or in a private temporary copy on
// disk (large ones, see analysis/temp-space.ts). Analyzers of binaries, archives and databases read only the
// parts they need through it, so their memory does not grow with the file.
import { readSync } from 'node:fs';
import type { Readable } from 'node:stream';

export interface ByteSource {
  readonly size: number;
  /** The `length` bytes at `position`, fewer only where the source ends; throws if the bytes cannot be read. */
  read(position: number, length: number): Buffer;
  /** The private temporary copy holding the bytes, for readers that need a file (SQLite); absent in memory. */
  readonly file?: { readonly path: string; readonly fd: number };
}

export function bufferSource(b: Buffer): ByteSource {
  return { size: b.length, read: (position, length) => b.subarray(position, Math.min(b.length, position + length)) };
}

/** Reads from an open file descriptor; a file that turns out shorter than `size` is an error, not a short read. */
export function fileSource(path: string, fd: number, size: number): ByteSource {
  return {
    size,
    file: { path, fd },
    read(position, length) {
      const want = Math.max(0, Math.min(length, size - position));
      const out = Buffer.allocUnsafe(want);
      let filled = 0;
      while (filled < want) {
        const n = readSync(fd, out, filled, want - filled, position + filled);
        if (n === 0) throw new Error(`its temporary copy ends at byte ${position + filled} of ${size} (changed or removed while being read)`);
        filled += n;
      }
      return out;
    },
  };
}

/** A window of another source (a blob inside a database, a section inside a binary). */
export function sliceSource(src: ByteSource, start: number, size: number): ByteSource {
  if (start < 0 || start + size > src.size) throw new Error(`a range of ${size} bytes at ${start} lies outside the file`);
  return { size, read: (position, length) => src.read(start + position, Math.max(0, Math.min(length, size - position))) };
}

/** The whole source as one buffer; only for sources a caller has already bounded. */
export function readAll(src: ByteSource): Buffer {
  return src.read(0, src.size);
}

const chunkBytes = 1024 * 1024;

/** Reads [start, end) in chunks, as a stream (for the zip reader), so a large range is never one buffer. */
export async function* chunksOf(src: ByteSource, start: number, end: number): AsyncGenerator<Buffer> {
  for (let at = start; at < end; at += chunkBytes) yield Buffer.from(src.read(at, Math.min(chunkBytes, end - at)));
}

/**
 * The first offset at or after `start` (and before `end`) where `needle` occurs at a multiple of `align`,
 * searched chunk by chunk with an overlap, so a match across a chunk boundary is found; -1 if none.
 */
export function findAligned(src: ByteSource, needle: Buffer, align: number, start = 0, end = src.size): number {
  const overlap = needle.length - 1;
  for (let at = start; at < end; at += chunkBytes) {
    const chunk = src.read(at, Math.min(chunkBytes + overlap, end - at));
    for (let i = chunk.indexOf(needle); i >= 0; i = chunk.indexOf(needle, i + 1)) if ((at + i) % align === 0) return at + i;
    if (chunk.length < needle.length) break;
  }
  return -1;
}

/** Reads a stream into one buffer, refusing more than `limit` bytes (whatever its headers claimed). */
export async function readLimited(stream: Readable, limit: number, what: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      stream.destroy();
      throw new Error(`${what} inflates past the ${limit} bytes expected`);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts, total);
}

/**
 * The text of a file of blank-line separated stanzas (dpkg status, apk's installed database), in blocks that
 * end at a stanza boundary ("\n\n"), each decoded on its own, so a large file is never one string. A stanza
 * longer than `maxBlock` is refused.
 */
export function* stanzaBlocks(src: ByteSource, blockBytes = chunkBytes, maxBlock = 16 * chunkBytes): Generator<string> {
  let carry: Buffer = Buffer.alloc(0);
  for (let at = 0; at < src.size; at += blockBytes) {
    const chunk = src.read(at, Math.min(blockBytes, src.size - at));
    const text = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const cut = text.lastIndexOf('\n\n');
    if (cut < 0) {
      if (text.length > maxBlock) throw new Error(`a stanza longer than ${maxBlock} bytes`);
      carry = text;
      continue;
    }
    yield text.toString('utf8', 0, cut + 2);
    carry = Buffer.from(text.subarray(cut + 2));
  }
  if (carry.length) yield carry.toString('utf8');
}
