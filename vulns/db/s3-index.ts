// The vulnerability database in the cloud: the scheduled sync function (functions/vulndb-sync.ts) keeps an
// OSV store up to date and publishes a compacted, gzipped copy of it to S3; workers download it once per
// container and open it read-only from /tmp.
//
//   <prefix>manifest.json                     which index is current: its key, SHA-256, sizes and sources
//   <prefix>index-<sha256>.sqlite.gz          the store, compacted (VACUUM INTO), content-addressed
//
// The index is written first and the manifest last, and an index key never changes content, so a reader
// never sees a manifest naming a half-written or replaced index. Downloads are bounded (bytes, deadline)
// and checked against the manifest's digest before the file is opened.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { schemaVersion, VulnStore } from './store.ts';

export const defaultIndexPrefix = 'vulndb/';

export const IndexManifest = z
  .object({
    format: z.literal(1),
    storeSchema: z.number().int(),
    key: z.string().min(1).max(1024),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().nonnegative(),
    gzipBytes: z.number().int().nonnegative(),
    createdAt: z.string(),
    sources: z.array(z.object({ name: z.string(), records: z.number().int(), fetchedAt: z.string() }).strict()).max(1000),
  })
  .strict();
export type IndexManifest = z.infer<typeof IndexManifest>;

export interface IndexLimits {
  /** Largest store (uncompressed) a worker accepts. */
  maxBytes: number;
  /** Largest manifest accepted. */
  maxManifestBytes: number;
  /** Deadline for one download, from the request to the last byte. */
  timeoutMs: number;
}

export const defaultIndexLimits: IndexLimits = { maxBytes: 8 * 1024 ** 3, maxManifestBytes: 1024 * 1024, timeoutMs: 5 * 60_000 };

export class IndexError extends Error {
  override name = 'IndexError';
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

function isNotModified(err: unknown): boolean {
  return (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 304;
}

/** Counts bytes and hashes them on the way through, failing past `max`. */
function meter(max: number, what: string): Transform & { bytes: () => number; digest: () => string } {
  const hash = createHash('sha256');
  let bytes = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > max) return done(new IndexError(`${what} is larger than the ${max}-byte limit`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return Object.assign(t, { bytes: () => bytes, digest: () => hash.digest('hex') });
}

/**
 * Compacts `store` into a gzipped index and uploads it, then the manifest naming it. Returns the manifest.
 */
export async function publishIndex(s3: S3Client, bucket: string, store: VulnStore, options: { prefix?: string; now?: () => Date } = {}): Promise<IndexManifest> {
  const prefix = options.prefix ?? defaultIndexPrefix;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'posture-index-'));
  try {
    const plain = path.join(tmp, 'index.sqlite');
    const packed = path.join(tmp, 'index.sqlite.gz');
    store.compactTo(plain);
    const raw = meter(Number.MAX_SAFE_INTEGER, 'index');
    const gz = meter(Number.MAX_SAFE_INTEGER, 'gzipped index');
    await pipeline(createReadStream(plain), raw, createGzip({ level: 6 }), gz, createWriteStream(packed));
    const sha256 = raw.digest();
    const key = `${prefix}index-${sha256}.sqlite.gz`;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(packed), ContentLength: gz.bytes(), ContentType: 'application/gzip', ChecksumAlgorithm: 'SHA256' }),
    );
    const manifest: IndexManifest = {
      format: 1,
      storeSchema: schemaVersion,
      key,
      sha256,
      bytes: raw.bytes(),
      gzipBytes: gz.bytes(),
      createdAt: (options.now?.() ?? new Date()).toISOString(),
      sources: store.sources().map((s) => ({ name: s.name, records: s.records, fetchedAt: s.fetchedAt })),
    };
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}manifest.json`, Body: JSON.stringify(manifest, null, 2), ContentType: 'application/json' }));
    return manifest;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function bodyText(body: Readable, max: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body) {
    size += (c as Buffer).length;
    if (size > max) {
      body.destroy();
      throw new IndexError(`${what} is larger than the ${max}-byte limit`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface ReadManifest {
  manifest: IndexManifest;
  etag: string | null;
}

/** The current manifest; null when none was published yet; `not-modified` when `etag` is still current. */
export async function readManifest(
  s3: S3Client,
  bucket: string,
  options: { prefix?: string; etag?: string | null; limits?: IndexLimits } = {},
): Promise<ReadManifest | null | 'not-modified'> {
  const limits = options.limits ?? defaultIndexLimits;
  const key = `${options.prefix ?? defaultIndexPrefix}manifest.json`;
  let res;
  try {
    res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(options.etag ? { IfNoneMatch: options.etag } : {}) }), { abortSignal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (err) {
    if (isNotFound(err)) return null;
    if (isNotModified(err)) return 'not-modified';
    throw err;
  }
  const text = await bodyText(res.Body as Readable, limits.maxManifestBytes, `s3://${bucket}/${key}`);
  let parsed;
  try {
    parsed = IndexManifest.safeParse(JSON.parse(text));
  } catch {
    throw new IndexError(`s3://${bucket}/${key} is not JSON`);
  }
  if (!parsed.success) throw new IndexError(`s3://${bucket}/${key} is not an index manifest: ${z.prettifyError(parsed.error).slice(0, 500)}`);
  if (parsed.data.storeSchema !== schemaVersion) {
    throw new IndexError(`s3://${bucket}/${key} names an index of store schema ${parsed.data.storeSchema}; this posture reads ${schemaVersion} (the sync function has not run since the upgrade)`);
  }
  return { manifest: parsed.data, etag: res.ETag ?? null };
}

/**
 * Downloads the index the manifest names into `dir`, inflating it and checking its SHA-256 and size, and
 * returns the file (named by its digest, so a file already there is reused without a download).
 */
export async function downloadIndex(s3: S3Client, bucket: string, manifest: IndexManifest, dir: string, limits: IndexLimits = defaultIndexLimits): Promise<string> {
  if (manifest.bytes > limits.maxBytes) throw new IndexError(`index ${manifest.key} holds ${manifest.bytes} bytes, more than the ${limits.maxBytes}-byte limit`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `vulndb-${manifest.sha256}.sqlite`);
  const done = await stat(file).then((s) => s.size === manifest.bytes, () => false);
  if (done) return file;
  const partial = `${file}.partial`;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: manifest.key }), { abortSignal: signal });
    const m = meter(limits.maxBytes, `index ${manifest.key}`);
    await pipeline(res.Body as Readable, createGunzip(), m, createWriteStream(partial, { mode: 0o600 }), { signal });
    const sha = m.digest();
    if (sha !== manifest.sha256 || m.bytes() !== manifest.bytes) {
      throw new IndexError(`index ${manifest.key} does not match its manifest (sha256 ${sha}, ${m.bytes()} bytes; expected ${manifest.sha256}, ${manifest.bytes})`);
    }
    await rename(partial, file);
    return file;
  } catch (err) {
    await rm(partial, { force: true });
    if (err instanceof IndexError) throw err;
    throw new IndexError(`index ${manifest.key} could not be downloaded from s3://${bucket}: ${(err as Error).message}`);
  }
}
