// Chooses the decompressor from the blob's first bytes (media types are often wrong in the wild) and
// counts decompressed bytes against the image-wide budget, so a gzip bomb stops at the cap.
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
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

/** Reads what is already buffered (waiting for the first chunk) and puts it back, to sniff the format. */
export function peekHead(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onReadable = (): void => {
      const chunk = stream.read() as Buffer | null;
      cleanup();
      if (chunk) stream.unshift(chunk);
      resolve(chunk ?? Buffer.alloc(0));
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.alloc(0));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

export type Compression = 'gzip' | 'none' | 'zstd';

export function sniffCompression(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  return 'none';
}

export function decompressor(kind: Compression, what: string): Transform | null {
  if (kind === 'gzip') return createGunzip({ chunkSize: 64 * 1024 });
  if (kind === 'zstd') throw new ImageScanError('unsupported-media-type', `${what}: zstd-compressed layers are not supported yet; layer not analyzed`);
  return null;
}
