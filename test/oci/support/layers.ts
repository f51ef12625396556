// Builds image layers in memory from a list of entries (tar via tar-stream, gzip via zlib), so tests,
// the sample image and the benchmark create every byte themselves.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';

export type LayerEntry =
  | { path: string; type?: 'file'; content: string | Buffer; mode?: number; uid?: number; gid?: number }
  | { path: string; type: 'dir'; mode?: number }
  | { path: string; type: 'symlink'; target: string }
  | { path: string; type: 'hardlink'; target: string; mode?: number };

export interface BuiltLayer {
  /** Compressed bytes as stored in a registry. */
  blob: Buffer;
  digest: string;
  /** sha256 of the uncompressed tar (the config's rootfs.diff_ids entry). */
  diffId: string;
  tar: Buffer;
  mediaType: string;
}

export const sha256 = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export async function tarOf(entries: readonly LayerEntry[]): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const ended = new Promise((resolve, reject) => {
    pack.on('end', () => resolve(null));
    pack.on('error', reject);
  });
  const mtime = new Date('2024-01-01T00:00:00Z');
  // Waiting for each entry keeps tar-stream's queue short (queuing 100k entries at once is quadratic).
  const add = (header: Parameters<typeof pack.entry>[0], body: Buffer = Buffer.alloc(0)): Promise<void> =>
    new Promise((resolve, reject) => pack.entry(header, body, (err) => (err ? reject(err) : resolve())));
  for (const e of entries) {
    if (e.type === 'dir') await add({ name: e.path, type: 'directory', mode: e.mode ?? 0o755, mtime });
    else if (e.type === 'symlink') await add({ name: e.path, type: 'symlink', linkname: e.target, mode: 0o777, mtime });
    else if (e.type === 'hardlink') await add({ name: e.path, type: 'link', linkname: e.target, mode: e.mode ?? 0o644, mtime });
    else await add({ name: e.path, mode: e.mode ?? 0o644, uid: e.uid ?? 0, gid: e.gid ?? 0, mtime }, typeof e.content === 'string' ? Buffer.from(e.content) : e.content);
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

export async function buildLayer(entries: readonly LayerEntry[], options: { gzip?: boolean; docker?: boolean } = {}): Promise<BuiltLayer> {
  const tar = await tarOf(entries);
  return layerFromTar(tar, options);
}

export function layerFromTar(tar: Buffer, options: { gzip?: boolean; docker?: boolean } = {}): BuiltLayer {
  const gzip = options.gzip ?? true;
  const blob = gzip ? gzipSync(tar, { level: 6 }) : tar;
  const mediaType = options.docker
    ? `application/vnd.docker.image.rootfs.diff.tar${gzip ? '.gzip' : ''}`
    : `application/vnd.oci.image.layer.v1.tar${gzip ? '+gzip' : ''}`;
  return { blob, digest: sha256(blob), diffId: sha256(tar), tar, mediaType };
}
