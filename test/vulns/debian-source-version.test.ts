// Debian advisories name the source package and its version (the security tracker's "fixed" is a source
// upload), while dpkg lists each binary with its own version. The cases where the two versions order
// differently against a fix, with Debian's own ordering (`dpkg --compare-versions`) as the judge:
//  - bsdutils 1:2.38.1-5+b1 comes from util-linux 2.38.1-5: the epoch is the binary's alone;
//  - bash 5.2.15-2+b2 is a binNMU rebuild of bash 5.2.15-2: a record whose last affected version is 5.2.15-2
//    covers it.
// The record below is constructed (not a real advisory) so that the fix falls between the two versions.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VulnStore } from '../../vulns/db/store.ts';
import { syncSource } from '../../vulns/db/sync.ts';
import { matchPackages, type MatchablePackage } from '../../vulns/match.ts';

const dpkgSays = (a: string, op: 'lt' | 'le' | 'gt', b: string): boolean => {
  try {
    execFileSync('dpkg', ['--compare-versions', a, op, b]);
    return true;
  } catch {
    return false;
  }
};

const record = (id: string, name: string, events: Record<string, string>[]) => ({
  schema_version: '1.6.0',
  id,
  modified: '2026-11-26T00:00:00Z',
  summary: `constructed ${name} record`,
  affected: [{ package: { ecosystem: 'Debian:12', name }, ranges: [{ type: 'ECOSYSTEM', events }] }],
});

let dir: string;
let store: VulnStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'posture-debsrc-'));
  mkdirSync(path.join(dir, 'osv'));
  writeFileSync(path.join(dir, 'osv', 'TEST-UTIL-LINUX.json'), JSON.stringify(record('TEST-UTIL-LINUX', 'util-linux', [{ introduced: '0' }, { fixed: '2.38.1-5+deb12u1' }])));
  writeFileSync(path.join(dir, 'osv', 'TEST-BASH.json'), JSON.stringify(record('TEST-BASH', 'bash', [{ introduced: '0' }, { last_affected: '5.2.15-2' }])));
  store = VulnStore.open(path.join(dir, 'osv.sqlite'), { create: true });
  expect(await syncSource(store, { kind: 'path', path: path.join(dir, 'osv') })).toMatchObject({ status: 'updated', records: 2 });
});

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const deb = (name: string, version: string, source: string, sourceVersion: string): MatchablePackage => ({ name, version, manager: 'dpkg', ecosystem: 'Debian:12', source: { name: source, version: sourceVersion } });
const ids = (p: MatchablePackage) => matchPackages(store, [p]).vulnerabilities.map((v) => `${v.package.name}@${v.package.version} ${v.records.join(',')} fixed ${v.fixedVersion}`);

describe('Debian: the source version is compared, not the binary one', () => {
  it('a binary epoch its source does not have does not hide the fix', () => {
    expect(dpkgSays('2.38.1-5', 'lt', '2.38.1-5+deb12u1')).toBe(true); // the source is before the fix
    expect(dpkgSays('1:2.38.1-5+b1', 'gt', '2.38.1-5+deb12u1')).toBe(true); // the binary's version would say fixed
    expect(ids(deb('bsdutils', '1:2.38.1-5+b1', 'util-linux', '2.38.1-5'))).toEqual(['bsdutils@1:2.38.1-5+b1 TEST-UTIL-LINUX fixed 2.38.1-5+deb12u1']);
    expect(dpkgSays('2.38.1-5+deb12u1', 'le', '2.38.1-5+deb12u1')).toBe(true);
    expect(ids(deb('bsdutils', '1:2.38.1-5+deb12u1', 'util-linux', '2.38.1-5+deb12u1'))).toEqual([]);
  });

  it('a binNMU rebuild of the last affected source is affected', () => {
    expect(dpkgSays('5.2.15-2+b2', 'gt', '5.2.15-2')).toBe(true);
    expect(ids(deb('bash', '5.2.15-2+b2', 'bash', '5.2.15-2'))).toEqual(['bash@5.2.15-2+b2 TEST-BASH fixed null']);
    expect(ids(deb('bash', '5.2.15-3', 'bash', '5.2.15-3'))).toEqual([]);
  });
});
