// Layer blobs for the benchmarks: a tar stream gzipped into a file with both digests computed on the way,
// and the tar of a directory made by GNU tar (numeric owners, one filesystem).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

export interface LayerFile {
  path: string;
  digest: string;
  diffId: string;
  size: number;
  uncompressed: number;
}

/** Streams a tar through gzip into a file, computing both digests on the way (nothing held in memory). */
export async function writeLayer(tar: Readable, out: string): Promise<LayerFile> {
  const tarHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let uncompressed = 0;
  let size = 0;
  const tap = (hash: ReturnType<typeof createHash>, count: (n: number) => void): Transform =>
    new Transform({
      transform(chunk: Buffer, _e, done) {
        hash.update(chunk);
        count(chunk.length);
        done(null, chunk);
      },
    });
  await pipeline(tar, tap(tarHash, (n) => (uncompressed += n)), createGzip({ level: 6 }), tap(blobHash, (n) => (size += n)), createWriteStream(out));
  return { path: out, digest: `sha256:${blobHash.digest('hex')}`, diffId: `sha256:${tarHash.digest('hex')}`, size, uncompressed };
}

export function tarOfDirectory(dir: string, exclude: readonly string[] = []): Readable {
  const child = spawn('tar', ['--numeric-owner', '--one-file-system', ...exclude.map((e) => `--exclude=./${e}`), '-C', dir, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return child.stdout;
}
