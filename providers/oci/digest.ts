// Digest checks for blobs: whole buffers (manifests, configs) and streams (layers), where the check runs
// on the bytes as they pass so nothing is held; a stream that runs past its declared size is cut off there.
import { createHash } from 'node:crypto';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { ImageScanError } from './errors.ts';

function algorithmOf(digest: string): 'sha256' | 'sha512' {
  const alg = digest.split(':')[0];
  if (alg === 'sha256' || alg === 'sha512') return alg;
  throw new ImageScanError('manifest-invalid', `digest "${digest}" uses an unsupported algorithm`);
}

export function digestOf(bytes: Buffer, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

export function verifyBuffer(bytes: Buffer, expected: string, what: string): void {
  const actual = digestOf(bytes, algorithmOf(expected));
  if (actual !== expected) throw new ImageScanError('digest-mismatch', `${what}: content digest is ${actual}, expected ${expected}`);
}

/** Passes bytes through unchanged and fails at the end if their digest or length differ from the descriptor. */
export class DigestVerifier extends Transform {
  private readonly hash;
  bytes = 0;
  constructor(
    private readonly expected: string,
    private readonly expectedSize: number | null,
    private readonly what: string,
  ) {
    super();
    this.hash = createHash(algorithmOf(expected));
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.expectedSize !== null && this.bytes > this.expectedSize) {
      done(new ImageScanError('size-mismatch', `${this.what}: blob is larger than the ${this.expectedSize} bytes its descriptor declares`));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.expectedSize !== null && this.bytes < this.expectedSize) {
      done(new ImageScanError('layer-truncated', `${this.what}: blob ended after ${this.bytes} of ${this.expectedSize} declared bytes`));
      return;
    }
    const actual = `${this.expected.split(':')[0]}:${this.hash.digest('hex')}`;
    if (actual !== this.expected) done(new ImageScanError('digest-mismatch', `${this.what}: content digest is ${actual}, expected ${this.expected}`));
    else done();
  }
}

/**
 * The blob stream joined with its check: pipeline's callback form listens for errors on both from the
 * start, so a mismatch found before anyone reads (a small blob arrives whole) is kept for the reader
 * instead of becoming an unheard `error` event.
 */
export function verified(body: Readable, verifier: DigestVerifier): Readable {
  return pipeline(body, verifier, () => {});
}
