// The OSV database end to end: archives in the public bucket's layout served from loopback, synced with
// conditional requests, then real advisories matched per ecosystem. Expected matches and fixed versions
// are the advisories' own facts (osv/README.md names each).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VulnStore } from '../../vulns/db/store.ts';
import { syncSource, type SourceSpec } from '../../vulns/db/sync.ts';
import { matchPackages, type MatchablePackage } from '../../vulns/match.ts';
import { fixturesDir, OsvBucket, recordsOf, zipRecords } from './support/osv-bucket.ts';

const ecosystems = ['Debian', 'Alpine', 'npm', 'PyPI', 'Maven', 'RubyGems'];
let bucket: OsvBucket;
let dir: string;
let store: VulnStore;
const spec = (ecosystem: string): SourceSpec => ({ kind: 'osv', ecosystem, baseUrl: bucket.baseUrl });

beforeAll(async () => {
  bucket = await OsvBucket.start();
  for (const e of ecosystems) bucket.set(e, { kind: 'zip', body: await zipRecords(recordsOf(e)), lastModified: 'Tue, 03 Oct 2023 17:00:00 GMT' });
  dir = mkdtempSync(path.join(os.tmpdir(), 'posture-vulndb-'));
  store = VulnStore.open(path.join(dir, 'osv.sqlite'), { create: true });
  for (const e of ecosystems) expect((await syncSource(store, spec(e))).status).toBe('updated');
});

afterAll(async () => {
  store?.close();
  await bucket?.close();
  rmSync(dir, { recursive: true, force: true });
});

const pkg = (ecosystem: string, name: string, version: string, source?: string): MatchablePackage => ({
  name,
  version,
  manager: 'test',
  ecosystem,
  source: source ? { name: source, version } : null,
});

function matches(p: MatchablePackage) {
  return matchPackages(store, [p]).vulnerabilities.map((v) => ({ id: v.id, records: v.records, fixed: v.fixedVersion }));
}

describe('db update from the OSV bucket layout', () => {
  it('stores every record and skips the withdrawn one', () => {
    const npm = store.source('npm')!;
    expect(npm.records).toBe(1);
    expect(npm.withdrawn).toBe(1);
    expect(npm.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(store.counts().map((c) => c.ecosystem)).toEqual(['Alpine:v3.18', 'Debian:11', 'Debian:12', 'Maven', 'PyPI', 'RubyGems', 'npm']);
  });

  it('asks again with If-None-Match and keeps the data on 304', async () => {
    const before = bucket.requests.length;
    const outcome = await syncSource(store, spec('Debian'));
    expect(outcome.status).toBe('not-modified');
    expect(bucket.requests.slice(before)).toEqual([expect.objectContaining({ path: '/Debian/all.zip', status: 304, ifNoneMatch: store.source('Debian')!.etag })]);
    expect(matches(pkg('Debian:12', 'libc6', '2.36-9+deb12u1', 'glibc'))).toHaveLength(1);
  });

  it('keeps the previous data when the archive is corrupt', async () => {
    bucket.set('Alpine', { kind: 'zip', body: Buffer.from('PK\u0003\u0004 this is not a zip archive at all'), lastModified: 'Wed, 01 Nov 2023 00:00:00 GMT' });
    const outcome = await syncSource(store, spec('Alpine'));
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/not a readable zip archive|corrupt/);
    expect(matches(pkg('Alpine:v3.18', 'libssl3', '3.1.3-r0', 'openssl'))).toEqual([{ id: 'CVE-2023-5363', records: ['ALPINE-CVE-2023-5363'], fixed: '3.1.4-r0' }]);
  });

  it('keeps the previous data when the download is cut off', async () => {
    bucket.set('npm', { kind: 'cut-off', body: await zipRecords(recordsOf('npm')) });
    const outcome = await syncSource(store, spec('npm'));
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/cut off|broke off/);
    expect(matches(pkg('npm', 'lodash', '4.17.20'))).toHaveLength(1);
  });

  it('reports an ecosystem the bucket does not have', async () => {
    const outcome = await syncSource(store, spec('Hex'));
    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringContaining('HTTP 404') });
  });

  it('reads a local directory of records (air-gapped mirror)', async () => {
    const local = VulnStore.open(path.join(dir, 'local.sqlite'), { create: true });
    try {
      const outcome = await syncSource(local, { kind: 'path', path: fixturesDir });
      expect(outcome).toMatchObject({ status: 'updated', records: 6, withdrawn: 1, rejected: 0 });
    } finally {
      local.close();
    }
  });
});

describe('matching real advisories', () => {
  it('Debian: the source package, per release (Debian:12 is not Debian:11)', () => {
    expect(matches(pkg('Debian:12', 'libc6', '2.36-9+deb12u1', 'glibc'))).toEqual([{ id: 'CVE-2023-4911', records: ['DSA-5514-1'], fixed: '2.36-9+deb12u3' }]);
    expect(matches(pkg('Debian:12', 'libc6', '2.36-9+deb12u3', 'glibc'))).toEqual([]);
    expect(matches(pkg('Debian:11', 'libc6', '2.31-13+deb11u6', 'glibc'))).toEqual([{ id: 'CVE-2023-4911', records: ['DSA-5514-1'], fixed: '2.31-13+deb11u7' }]);
    // bullseye's fix is older than bookworm's: a bookworm package between them is still affected in Debian:12.
    expect(matches(pkg('Debian:12', 'libc6', '2.31-13+deb11u7', 'glibc'))).toHaveLength(1);
    expect(matches(pkg('Debian:13', 'libc6', '2.36-9+deb12u1', 'glibc'))).toEqual([]);
    // A binary package name that is not the source name finds nothing by itself.
    expect(matches(pkg('Debian:12', 'libc6', '2.36-9+deb12u1'))).toEqual([]);
  });

  it('Alpine: the origin package, per branch', () => {
    expect(matches(pkg('Alpine:v3.18', 'libcrypto3', '3.1.3-r0', 'openssl'))).toEqual([{ id: 'CVE-2023-5363', records: ['ALPINE-CVE-2023-5363'], fixed: '3.1.4-r0' }]);
    expect(matches(pkg('Alpine:v3.18', 'libcrypto3', '3.1.4-r0', 'openssl'))).toEqual([]);
    expect(matches(pkg('Alpine:v3.19', 'libcrypto3', '3.1.3-r0', 'openssl'))).toEqual([]);
  });

  it('npm: aliases lead with the CVE; withdrawn records never match', () => {
    expect(matches(pkg('npm', 'lodash', '4.17.20'))).toEqual([{ id: 'CVE-2021-23337', records: ['GHSA-35jh-r3h4-6jhm'], fixed: '4.17.21' }]);
    expect(matches(pkg('npm', 'lodash', '4.17.21'))).toEqual([]);
  });

  it('PyPI: names compare as PEP 503 normalizes them', () => {
    expect(matches(pkg('PyPI', 'Jinja2', '3.1.2'))).toEqual([{ id: 'CVE-2024-22195', records: ['GHSA-h5c8-rqwp-cp95'], fixed: '3.1.3' }]);
    expect(matches(pkg('PyPI', 'jinja2', '3.1.3'))).toEqual([]);
  });

  it('Maven: several ranges, each with its own fix; Maven qualifiers order', () => {
    const log4j = (v: string) => matches(pkg('Maven', 'org.apache.logging.log4j:log4j-core', v));
    expect(log4j('2.14.1')).toEqual([{ id: 'CVE-2021-44228', records: ['GHSA-jfh8-c2jp-5v3q'], fixed: '2.15.0' }]);
    expect(log4j('2.12.1')[0]?.fixed).toBe('2.12.2');
    expect(log4j('2.0-rc1')[0]?.fixed).toBe('2.3.1');
    expect(log4j('2.0-beta8')).toEqual([]);
    expect(log4j('2.3.1')).toEqual([]);
    expect(log4j('2.12.2')).toEqual([]);
    expect(log4j('2.15.0')).toEqual([]);
  });

  it('RubyGems: four-part versions', () => {
    const rack = (v: string) => matches(pkg('RubyGems', 'rack', v));
    expect(rack('2.2.3')[0]?.fixed).toBe('2.2.3.1');
    expect(rack('2.0.9')[0]?.fixed).toBe('2.0.9.1');
    expect(rack('2.1.4.1')).toEqual([]);
    expect(rack('2.2.3.1')).toEqual([]);
  });

  it('severity comes from the CVSS vector or the database rating', () => {
    const [log4j] = matchPackages(store, [pkg('Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1')]).vulnerabilities;
    expect(log4j).toMatchObject({ severity: 'critical', score: 10 });
    const [jinja] = matchPackages(store, [pkg('PyPI', 'jinja2', '3.1.2')]).vulnerabilities;
    expect(jinja).toMatchObject({ severity: 'medium', severitySource: 'database rating', score: null });
    const [glibc] = matchPackages(store, [pkg('Debian:12', 'libc6', '2.36-9+deb12u1', 'glibc')]).vulnerabilities;
    expect(glibc).toMatchObject({ severity: 'high', score: 7.8 });
  });

  it('says which packages it could not judge', () => {
    const result = matchPackages(store, [pkg('npm', 'lodash', 'not a version'), { name: 'x', version: '1', manager: 'rpm', ecosystem: null }]);
    expect(result.notEvaluated.map((n) => n.reason)).toEqual(['version is not valid in npm', 'no OSV ecosystem for this package']);
  });
});
