// `posture db update`, `posture db status` and a scan of the sample image against real Debian advisories
// (samples/osv: DSA-5514-1 and DSA-5532-1, whose fixed versions are the advisories' own).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleImage, sampleImageDir } from '../../scripts/make-sample-image.ts';
import { OsvBucket, recordsOf, zipRecords } from '../vulns/support/osv-bucket.ts';
import { runCli } from './helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'posture-vulndb-cli-'));
const db = path.join(dir, 'vulndb.sqlite');
let bucket: OsvBucket;
let digest: string;

beforeAll(async () => {
  digest = await makeSampleImage(sampleImageDir);
  bucket = await OsvBucket.start();
  bucket.set('npm', { kind: 'zip', body: await zipRecords(recordsOf('npm')), lastModified: 'Fri, 15 Mar 2024 00:00:00 GMT' });
});
afterAll(() => bucket?.close());

interface Report {
  assets: { id: string; kind: string; image?: { vulnerabilities?: { id: string; fixedVersion: string | null; package: { name: string }; suppressed?: unknown }[]; vulnerabilityScan?: { status: string } } }[];
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
    // IMG-003 is listed as not evaluated (never as a pass), and raises no finding.
    expect(run.stdout).toMatch(/IMG-003 {2}1 asset\(s\): not evaluated, .*image\.vulnerabilities was not collected/);
    expect(run.stdout).not.toMatch(/│ IMG-003 │/);
    const json = JSON.parse((await runCli(['scan', '--format', 'json', '--no-history', '--vulndb', path.join(dir, 'missing.sqlite'), sampleImageDir])).stdout) as { unjudged: { ruleId: string; outcome: string }[] };
    expect(json.unjudged.filter((o) => o.ruleId === 'IMG-003').map((o) => o.outcome)).toEqual(['not-evaluated']);
  });
});

describe('VEX statements suppress by vulnerability and product', () => {
  const scan = async (...args: string[]) => JSON.parse((await runCli(['scan', '--format', 'json', '--no-history', '--vulndb', db, ...args, sampleImageDir])).stdout) as Report;
  const img003 = (r: Report) => r.findings.filter((f) => f.ruleId === 'IMG-003').map((f) => f.path);

  it('OpenVEX: not_affected for the image digest', async () => {
    const file = path.join(dir, 'openvex.json');
    writeFileSync(
      file,
      JSON.stringify({
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.com/vex/ledgerly-1',
        author: 'Ledgerly security',
        timestamp: '2026-11-01T00:00:00Z',
        version: 1,
        statements: [
          { vulnerability: { name: 'CVE-2023-5363' }, products: [{ '@id': `pkg:oci/ledgerly-api@${encodeURIComponent(digest)}` }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' },
          // Another image's statement changes nothing here.
          { vulnerability: { name: 'CVE-2023-4911' }, products: [{ '@id': `pkg:oci/other@sha256:${'0'.repeat(64)}` }], status: 'not_affected', justification: 'component_not_present' },
        ],
      }),
    );
    const before = await scan();
    expect(img003(before)).toContain('vulnerabilities/CVE-2023-5363/Debian:12/openssl');
    const after = await scan('--vex', file);
    expect(img003(after)).not.toContain('vulnerabilities/CVE-2023-5363/Debian:12/openssl');
    const image = after.assets.find((a) => a.kind === 'image')!;
    expect(image.image?.vulnerabilities?.find((v) => v.id === 'CVE-2023-5363')).toMatchObject({ suppressed: { by: `vex:${file}`, reason: 'not_affected (vulnerable_code_not_in_execute_path)' } });
  });

  it('CycloneDX VEX: an affects ref naming the image by digest; an in_triage analysis suppresses nothing', async () => {
    const file = path.join(dir, 'cdx.json');
    const vuln = (state: string) => ({ id: 'CVE-2023-5363', analysis: { state, justification: 'code_not_reachable' }, affects: [{ ref: 'image' }] });
    const doc = (state: string) => ({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, metadata: { component: { 'bom-ref': 'image', type: 'container', name: 'ledgerly-api', purl: `pkg:oci/ledgerly-api@${digest}` } }, vulnerabilities: [vuln(state)] });
    writeFileSync(file, JSON.stringify(doc('in_triage')));
    expect(img003(await scan('--vex', file))).toContain('vulnerabilities/CVE-2023-5363/Debian:12/openssl');
    writeFileSync(file, JSON.stringify(doc('not_affected')));
    expect(img003(await scan('--vex', file))).not.toContain('vulnerabilities/CVE-2023-5363/Debian:12/openssl');
  });

  it('a document that is neither is refused by name', async () => {
    const file = path.join(dir, 'not-vex.json');
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    const run = await runCli(['scan', '--no-history', '--vulndb', db, '--vex', file, sampleImageDir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file} is neither an OpenVEX document`);
  });
});
