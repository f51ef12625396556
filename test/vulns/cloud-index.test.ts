// The vulnerability database in the cloud, end to end with the real S3 client against moto's S3: the sync
// handler fetches the OSV archives (loopback stand-in of the public bucket) and publishes the index; a
// worker's CloudVulnDb downloads it once and matches with it; an unchanged archive costs a 304 and publishes
// nothing; a changed one publishes a new index that workers swap in; a tampered index is refused.
// Expected matches are the advisories' facts (test/vulns/osv/README.md).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset, ImageAsset } from '../../core/asset.ts';
import { CloudVulnDb } from '../../functions/runtime/vulndb.ts';
import { createVulnDbSyncHandler, type VulnDbSyncDeps } from '../../functions/vulndb-sync.ts';
import { IndexManifest } from '../../vulns/db/s3-index.ts';
import type { SourceSpec } from '../../vulns/db/sync.ts';
import { matchImages } from '../../vulns/enrich.ts';
import { startMoto, type MotoServer } from '../standins/moto.ts';
import { OsvBucket, recordsOf, zipRecords } from './support/osv-bucket.ts';

const bucketName = 'posture-data';
let moto: MotoServer;
let osv: OsvBucket;
let s3: S3Client;
let dir: string;
const log = pino({ level: 'silent' });

beforeAll(async () => {
  moto = await startMoto({ region: 'eu-west-1' });
  // Path-style: moto on 127.0.0.1 has no per-bucket host names.
  s3 = new S3Client({ ...moto.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucketName, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  osv = await OsvBucket.start();
  for (const e of ['Debian', 'npm']) osv.set(e, { kind: 'zip', body: await zipRecords(recordsOf(e)), lastModified: 'Tue, 03 Oct 2023 17:00:00 GMT' });
  dir = mkdtempSync(path.join(os.tmpdir(), 'posture-cloud-index-'));
}, 60_000);

afterAll(async () => {
  await osv?.close();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sources = (): SourceSpec[] => ['Debian', 'npm'].map((ecosystem) => ({ kind: 'osv', ecosystem, baseUrl: osv.baseUrl }));
const sync = (extra: Partial<VulnDbSyncDeps> = {}) => createVulnDbSyncHandler({ s3, bucket: bucketName, sources: sources(), workDir: dir, log, ...extra })({ kind: 'vulndb-sync', executionId: 'x' });

/** An analysed Debian 12 image with glibc's libc6 before DSA-5514-1 and lodash 4.17.20 in an app layer. */
function image(): ImageAsset {
  return {
    id: 'oci://registry.example/shop/api@sha256:' + 'a'.repeat(64),
    kind: 'image',
    provider: 'oci',
    account: '',
    region: '',
    jurisdiction: null,
    tags: {},
    collectedAt: '2026-01-01T00:00:00Z',
    source: 'test',
    raw: {},
    image: {
      reference: { registry: 'registry.example', repository: 'shop/api', tag: '1', digest: 'sha256:' + 'a'.repeat(64) },
      digest: 'sha256:' + 'a'.repeat(64),
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      platform: { os: 'linux', architecture: 'amd64', variant: null },
      config: { user: 'app', env: [], exposedPorts: [], healthcheck: null, labels: {}, entrypoint: [], cmd: [], created: null, history: [] },
      layers: [],
      contents: {
        os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
        packages: [
          { name: 'libc6', version: '2.36-9+deb12u1', manager: 'dpkg', ecosystem: 'Debian:12', source: { name: 'glibc', version: '2.36-9+deb12u1' } },
          { name: 'lodash', version: '4.17.20', manager: 'npm', ecosystem: 'npm' },
        ],
      },
      scanErrors: [],
    },
  } as unknown as ImageAsset;
}

const ids = (assets: Asset[]) => (assets[0] as ImageAsset).image.vulnerabilities?.map((v) => `${v.package.name} ${v.id} fixed ${v.fixedVersion}`).sort();

describe('the sync function and the worker index', () => {
  let published: string | null;

  it('reports "not evaluated" with the reason while no index has been published', async () => {
    const db = new CloudVulnDb(s3, bucketName, { dir: path.join(dir, 'w0'), log });
    const handle = await db.current();
    expect(handle).toEqual({ unavailable: expect.stringMatching(/no vulnerability index in s3:\/\/posture-data\/vulndb\/ yet/) });
    const [matched] = matchImages([image()], handle).assets as ImageAsset[];
    expect(matched!.image.vulnerabilities).toBeUndefined();
    expect(matched!.image.vulnerabilityScan).toMatchObject({ status: 'not-evaluated' });
  });

  it('publishes a compact index and a manifest naming it', async () => {
    const summary = await sync();
    expect(summary).toMatchObject({ published: true, updated: ['Debian', 'npm'], failed: [] });
    published = summary.key;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucketName, Prefix: 'vulndb/' }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual([summary.key, 'vulndb/manifest.json']);
    const manifest = IndexManifest.parse(JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: 'vulndb/manifest.json' }))).Body!.transformToString()));
    expect(manifest.key).toBe(`vulndb/index-${manifest.sha256}.sqlite.gz`);
    expect(manifest.sources.map((s) => s.name)).toEqual(['Debian', 'npm']);
    expect(manifest.gzipBytes).toBeLessThan(manifest.bytes);
  });

  it('lets a worker load it once and match with it (DSA-5514-1 for glibc, the lodash advisory)', async () => {
    const db = new CloudVulnDb(s3, bucketName, { dir: path.join(dir, 'w1'), log });
    const handle = await db.current();
    expect(handle).toMatchObject({ file: `s3://${bucketName}/${published}` });
    expect(ids(matchImages([image()], handle).assets)).toEqual(['libc6 CVE-2023-4911 fixed 2.36-9+deb12u3', 'lodash CVE-2021-23337 fixed 4.17.21']);
    // Within the refresh interval the open index is reused: no S3 request at all.
    const sent: string[] = [];
    s3.middlewareStack.add((next, ctx) => (args) => (sent.push(String(ctx.commandName)), next(args)), { step: 'initialize', name: 'count-sends' });
    try {
      await db.current();
      expect(sent).toEqual([]);
    } finally {
      s3.middlewareStack.remove('count-sends');
      db.close();
    }
  });

  it('asks the archives with If-None-Match and publishes nothing when none changed', async () => {
    const before = osv.requests.length;
    const summary = await sync();
    expect(summary).toMatchObject({ published: false, key: published, updated: [], notModified: ['Debian', 'npm'] });
    expect(osv.requests.slice(before).map((r) => [r.path, r.status, r.ifNoneMatch !== null])).toEqual([
      ['/Debian/all.zip', 304, true],
      ['/npm/all.zip', 304, true],
    ]);
  });

  it('publishes a new index when an archive changed, and a worker swaps it in at its next check', async () => {
    const db = new CloudVulnDb(s3, bucketName, { dir: path.join(dir, 'w2'), refreshMs: 0, log });
    expect(ids(matchImages([image()], await db.current()).assets)).toHaveLength(2);
    // The npm archive now carries only the withdrawn copy: lodash 4.17.20 is no longer matched.
    const npm = recordsOf('npm');
    osv.set('npm', { kind: 'zip', body: await zipRecords({ 'GHSA-withdrawn-copy.json': npm['GHSA-withdrawn-copy.json']! }), lastModified: 'Wed, 01 Nov 2023 00:00:00 GMT' });
    const summary = await sync();
    expect(summary).toMatchObject({ published: true, updated: ['npm'], notModified: ['Debian'] });
    expect(summary.key).not.toBe(published);
    const handle = await db.current();
    expect(handle).toMatchObject({ file: `s3://${bucketName}/${summary.key}` });
    expect(ids(matchImages([image()], handle).assets)).toEqual(['libc6 CVE-2023-4911 fixed 2.36-9+deb12u3']);
    db.close();
    published = summary.key;
  });

  it('keeps the published index when every archive fails, and says which failed', async () => {
    osv.set('Debian', { kind: 'status', code: 503 });
    osv.set('npm', { kind: 'cut-off', body: await zipRecords(recordsOf('npm')) });
    const summary = await sync();
    expect(summary).toMatchObject({ published: false, key: published, updated: [] });
    expect(summary.failed.map((f) => f.source)).toEqual(['Debian', 'npm']);
    expect(summary.failed[1]!.error).toMatch(/cut off|broke off/);
  });

  it('refuses an index whose bytes do not match its manifest', async () => {
    // Someone (or a broken upload) replaced the index object under the same key.
    const manifest = IndexManifest.parse(JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: 'vulndb/manifest.json' }))).Body!.transformToString()));
    const { gzipSync } = await import('node:zlib');
    await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: manifest.key, Body: gzipSync(Buffer.from('SQLite format 3\u0000 but not the one the manifest names')) }));
    const db = new CloudVulnDb(s3, bucketName, { dir: path.join(dir, 'w3'), log });
    const handle = await db.current();
    expect(handle).toEqual({ unavailable: expect.stringMatching(/does not match its manifest/) });
    expect((matchImages([image()], handle).assets[0] as ImageAsset).image.vulnerabilityScan).toMatchObject({ status: 'not-evaluated', reason: expect.stringMatching(/does not match its manifest/) });
  });

  it('rejects an event that is not a sync request', async () => {
    await expect(createVulnDbSyncHandler({ s3, bucket: bucketName, sources: sources(), workDir: dir, log })({ kind: 'sweep' })).rejects.toThrow(/not a sync event/);
  });
});
