// `posture db update`: brings each source into the local store.
//   osv   <base>/<ecosystem>/all.zip from the public OSV bucket (or a mirror with the same layout), fetched
//         with If-None-Match / If-Modified-Since so an unchanged archive costs one 304; streamed to a
//         temporary file with a deadline and checked against Content-Length (a cut-off download fails).
//   path  a local directory of OSV JSON files or a zip (air-gapped sites, the Go vulnerability database).
// Each source is replaced in one transaction: a corrupt archive or a dropped connection leaves the
// previous data of that source in place and is reported; the other sources still update.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { request } from 'undici';
import { parseOsvRecord } from '../osv/record.ts';
import { baseEcosystem } from '../versions/index.ts';
import { readDirectory, readZip, sha256File, type RawDocument } from './read-records.ts';
import type { SourceState, VulnStore } from './store.ts';

export const defaultOsvBaseUrl = 'https://osv-vulnerabilities.storage.googleapis.com';

export type SourceSpec = { kind: 'osv'; ecosystem: string; baseUrl: string } | { kind: 'path'; path: string; name?: string };

export type SyncProgress =
  | { source: string; phase: 'download'; received: number; total: number | null }
  | { source: string; phase: 'import'; records: number };

export interface SyncOutcome {
  source: string;
  status: 'updated' | 'not-modified' | 'failed';
  records?: number;
  entries?: number;
  withdrawn?: number;
  rejected?: number;
  error?: string;
  /** First few records that could not be read, by origin. */
  rejects?: string[];
}

export interface SyncOptions {
  progress?: (p: SyncProgress) => void;
  /** Per request: time to the response headers, and the longest silence while reading the body. */
  timeoutMs?: number;
  now?: () => Date;
}

export function sourceName(spec: SourceSpec): string {
  return spec.kind === 'osv' ? spec.ecosystem : (spec.name ?? `local:${path.resolve(spec.path)}`);
}

async function download(spec: Extract<SourceSpec, { kind: 'osv' }>, previous: SourceState | null, dest: string, options: SyncOptions) {
  const url = `${spec.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(spec.ecosystem)}/all.zip`;
  const headers: Record<string, string> = {};
  if (previous?.location === url && previous.etag) headers['if-none-match'] = previous.etag;
  if (previous?.location === url && previous.lastModified) headers['if-modified-since'] = previous.lastModified;
  const timeout = options.timeoutMs ?? 60_000;
  const res = await request(url, { method: 'GET', headers, headersTimeout: timeout, bodyTimeout: timeout });
  if (res.statusCode === 304) {
    await res.body.dump();
    return { url, notModified: true as const };
  }
  if (res.statusCode !== 200) {
    await res.body.dump().catch(() => undefined);
    throw new Error(`GET ${url} answered HTTP ${res.statusCode}`);
  }
  const lengthHeader = res.headers['content-length'];
  const total = typeof lengthHeader === 'string' && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  let received = 0;
  let lastReport = 0;
  const name = sourceName(spec);
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received - lastReport >= 4 * 1024 * 1024) {
        lastReport = received;
        options.progress?.({ source: name, phase: 'download', received, total });
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(res.body, counter, createWriteStream(dest));
  } catch (err) {
    throw new Error(`download of ${url} broke off after ${received}${total !== null ? ` of ${total}` : ''} bytes: ${(err as Error).message}`);
  }
  options.progress?.({ source: name, phase: 'download', received, total });
  if (total !== null && received !== total) throw new Error(`download of ${url} was cut off: ${received} of ${total} bytes`);
  const header = (h: string | string[] | undefined) => (typeof h === 'string' ? h : null);
  return { url, notModified: false as const, etag: header(res.headers['etag']), lastModified: header(res.headers['last-modified']) };
}

async function importDocuments(
  store: VulnStore,
  state: Omit<SourceState, 'records' | 'withdrawn' | 'rejected'>,
  docs: AsyncIterable<RawDocument>,
  accept: (ecosystem: string) => boolean,
  options: SyncOptions,
  now: Date,
): Promise<SyncOutcome> {
  const writer = store.beginReplace({ ...state, withdrawn: 0, rejected: 0 }, accept);
  let withdrawn = 0;
  let rejected = 0;
  let seen = 0;
  const rejects: string[] = [];
  try {
    for await (const doc of docs) {
      let record;
      try {
        record = parseOsvRecord(JSON.parse(doc.text), doc.origin);
      } catch (err) {
        rejected++;
        if (rejects.length < 10) rejects.push(`${doc.origin}: ${(err as Error).message.slice(0, 300)}`);
        continue;
      }
      if (record.withdrawn && Date.parse(record.withdrawn) <= now.getTime()) {
        withdrawn++;
        continue;
      }
      writer.add(record);
      if (++seen % 5000 === 0) options.progress?.({ source: state.name, phase: 'import', records: seen });
    }
  } catch (err) {
    writer.rollback();
    throw err;
  }
  const done = writer.commit({ withdrawn, rejected });
  return { source: state.name, status: 'updated', ...done, withdrawn, rejected, ...(rejects.length ? { rejects } : {}) };
}

export async function syncSource(store: VulnStore, spec: SourceSpec, options: SyncOptions = {}): Promise<SyncOutcome> {
  const now = (options.now ?? (() => new Date()))();
  const name = sourceName(spec);
  const previous = store.source(name);
  try {
    if (spec.kind === 'path') {
      const info = await stat(spec.path);
      const isZip = info.isFile();
      const docs = isZip ? readZip(spec.path) : readDirectory(spec.path);
      const sha256 = isZip ? await sha256File(spec.path) : null;
      const state = { name, location: path.resolve(spec.path), etag: null, lastModified: null, sha256, fetchedAt: now.toISOString(), checkedAt: now.toISOString() };
      return await importDocuments(store, state, docs, () => true, options, now);
    }
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'posture-osv-'));
    try {
      const file = path.join(tmp, 'all.zip');
      const got = await download(spec, previous, file, options);
      if (got.notModified) {
        store.touch(name, now.toISOString());
        return { source: name, status: 'not-modified', records: previous?.records ?? 0 };
      }
      const base = baseEcosystem(spec.ecosystem);
      const state = { name, location: got.url, etag: got.etag, lastModified: got.lastModified, sha256: await sha256File(file), fetchedAt: now.toISOString(), checkedAt: now.toISOString() };
      return await importDocuments(store, state, readZip(file), (e) => e === spec.ecosystem || baseEcosystem(e) === base, options, now);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    return { source: name, status: 'failed', error: (err as Error).message };
  }
}

export async function syncAll(store: VulnStore, specs: readonly SourceSpec[], options: SyncOptions = {}): Promise<SyncOutcome[]> {
  const out: SyncOutcome[] = [];
  for (const spec of specs) out.push(await syncSource(store, spec, options));
  return out;
}
