// Chooses the decompressor from the blob's first bytes (media types are often wrong in the wild) and
// counts decompressed bytes against the image-wide budget, so a decompression bomb stops at the cap.
// Both are stages of one stream pipeline, so every failure on the way ends up in one place.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import { ImageScanError } from '../errors.ts';

export interface ByteBudget {
  used: number;
  readonly limit: number;
}

export class BudgetCounter extends Transform {
  constructor(
    private readonly budget: ByteBudget,
    private readonly what: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.budget.used += chunk.length;
    if (this.budget.used > this.budget.limit) {
      done(new ImageScanError('uncompressed-limit', `${this.what}: decompressed content exceeds the ${this.budget.limit}-byte limit (possible decompression bomb); analysis stopped`));
      return;
    }
    done(null, chunk);
  }
}

export type Compression = 'gzip' | 'none' | 'zstd';

/** Bytes needed to tell the formats apart (the zstd magic number is four). */
const sniffBytes = 4;

export function sniffCompression(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

// Node's zlib carries libzstd (the reference implementation), which refuses frames that ask for a
// window above 2^27 bytes, so a hostile frame header cannot make it allocate gigabytes.
type ZstdFactory = (options?: zlib.ZlibOptions) => Transform;
const createZstdDecompress = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;

/**
 * The decoder inflates in libuv's threadpool while the layer walk runs on the main thread. It stops once
 * its output buffer holds `readableHighWaterMark` bytes, so that is how far it may run ahead of the walk:
 * 2 MiB lets the two overlap (with the 64 KiB default it stopped after about one chunk, so they mostly took
 * turns), at a bounded cost per layer read.
 * Larger chunks mean fewer round trips to the threadpool.
 */
const decoderOptions = { chunkSize: 256 * 1024, readableHighWaterMark: 2 * 1024 * 1024 };

function decoderFor(kind: Exclude<Compression, 'none'>, what: string): Transform {
  const opts = decoderOptions;
  if (kind === 'gzip') return zlib.createGunzip(opts);
  if (!createZstdDecompress) throw new ImageScanError('unsupported-media-type', `${what}: this Node.js has no zstd decoder (Node.js 22.15 or later has one); layer not analyzed`);
  return createZstdDecompress(opts);
}

/**
 * A pipeline stage that looks at the first bytes and passes the stream through gunzip, zstd or nothing.
 * Failures upstream (a digest check, a transport error) and in the decoder surface from this one stage.
 */
export function decompressStage(what: string): (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> {
  return async function* decompress(source) {
    const upstream = source[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < sniffBytes) {
      const next = await upstream.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      headBytes += next.value.length;
    }
    const first = Buffer.concat(head, headBytes);
    async function* everything(): AsyncGenerator<Buffer> {
      if (first.length) yield first;
      while (!ended) {
        const next = await upstream.next();
        if (next.done) return;
        yield next.value;
      }
    }
    const kind = sniffCompression(first);
    if (kind === 'none') {
      yield* everything();
      return;
    }
    const decoder = decoderFor(kind, what);
    // The callback form attaches error handlers to both streams at once, so nothing errors unheard.
    pipeline(Readable.from(everything(), { objectMode: false }), decoder, () => {});
    try {
      for await (const chunk of decoder) yield chunk as Buffer;
    } finally {
      decoder.destroy();
    }
  };
}
