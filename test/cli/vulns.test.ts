// `posture db update`, `posture db status` and a scan of the sample image against real Debian advisories
// (samples/osv: DSA-5514-1 and DSA-5532-1, whose fixed versions are the advisories' own).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleImage, sampleImageDir } from '../../scripts/make-sample-image.ts';
import { OsvBucket, recordsOf, zipRecords } from '../vulns/support/osv-bucket.ts';
import { runCli } from './helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'posture-vulndb-cli-'));
const db = path.join(dir, 'vulndb.sqlite');
let bucket: OsvBucket;

beforeAll(async () => {
  await makeSampleImage(sampleImageDir);
  bucket = await OsvBucket.start();
  bucket.set('npm', { kind: 'zip', body: await zipRecords(recordsOf('npm')), lastModified: 'Fri, 15 Mar 2024 00:00:00 GMT' });
});
afterAll(() => bucket?.close());

interface Report {
  assets: { id: string; kind: string; image?: { vulnerabilities?: { id: string; fixedVersion: string | null; package: { name: string } }[]; vulnerabilityScan?: { status: string } } }[];
  findings: { ruleId: string; path: string; severity: string; evidence: { fixedVersion: string; installedVersion: string } }[];
}

describe('posture db', () => {
  it('updates from a local directory of OSV records, then reports its age and counts', async () => {
    const update = await runCli(['db', 'update', '--db', db, '--source', 'samples/osv']);
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(/samples\/osv: 2 records, 3 package entries/);
    const status = await runCli(['db', 'status', '--db', db]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/Debian:12: 2 packages, 2 affected entries/);
    expect(status.stdout).toMatch(/fetched \d{4}-\d\d-\d\dT.* \(\d+ min ago\)/);
  });

  it('fetches an ecosystem archive from a mirror, and answers a second run with not modified', async () => {
    const first = await runCli(['db', 'update', '--db', db, '--ecosystem', 'npm', '--base-url', bucket.baseUrl]);
    expect(first.stdout).toMatch(/^npm: 1 records, 1 package entries \(1 withdrawn skipped, 0 unreadable\)$/m);
    const second = await runCli(['db', 'update', '--db', db, '--ecosystem', 'npm', '--base-url', bucket.baseUrl]);
    expect(second.stdout).toMatch(/^npm: not modified \(1 records\)$/m);
    expect(bucket.requests.map((r) => r.status)).toEqual([200, 304]);
  });

  it('exits 3 and keeps the data when an archive cannot be fetched', async () => {
    const run = await runCli(['db', 'update', '--db', db, '--ecosystem', 'PyPI', '--base-url', bucket.baseUrl]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/PyPI: FAILED, previous data kept: GET .*\/PyPI\/all\.zip answered HTTP 404/);
  });
});

describe('posture scan with the vulnerability database', () => {
  it('shows the sample image vulnerabilities with their fixed versions', async () => {
    const run = await runCli(['scan', '--format', 'json', '--no-history', '--vulndb', db, sampleImageDir]);
    const report = JSON.parse(run.stdout) as Report;
    const image = report.assets.find((a) => a.kind === 'image')!;
    expect(image.image?.vulnerabilityScan?.status).toBe('complete');
    const vulns = image.image?.vulnerabilities ?? [];
    // openssl 3.0.11-1~deb12u1 is before DSA-5532-1's fix for bookworm.
    expect(vulns).toContainEqual(expect.objectContaining({ id: 'CVE-2023-5363', fixedVersion: '3.0.11-1~deb12u2', package: expect.objectContaining({ name: 'openssl' }) }));
    const img003 = report.findings.filter((f) => f.ruleId === 'IMG-003');
    expect(img003).toContainEqual(
      expect.objectContaining({ path: 'vulnerabilities/CVE-2023-5363/Debian:12/openssl', severity: 'high', evidence: expect.objectContaining({ installedVersion: '3.0.11-1~deb12u1', fixedVersion: '3.0.11-1~deb12u2' }) }),
    );
  });

  it('prints a vulnerability summary per image in the table', async () => {
    const run = await runCli(['scan', '--no-history', '--vulndb', db, sampleImageDir]);
    expect(run.stdout).toMatch(/vulnerabilities: \d+ \(.*\d+ high.*\), \d+ fixable/);
  });

  it('says the image was not evaluated when there is no database', async () => {
    const run = await runCli(['scan', '--no-history', '--vulndb', path.join(dir, 'missing.sqlite'), sampleImageDir]);
    expect(run.stderr).toMatch(/vulnerabilities not evaluated: no vulnerability database at .*missing\.sqlite/);
    expect(run.stdout).toMatch(/vulnerabilities: not evaluated/);
    expect(run.stdout).not.toMatch(/IMG-003/);
  });
});
