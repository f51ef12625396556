// Registry-native findings as a second source: ECR basic and Inspector (enhanced) findings, in the shapes
// DescribeImageScanFindings returns (policies/contracts/fixtures/oci), folded into our matches by
// vulnerability id and package, the rest kept for REG-002.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageAsset } from '../../core/asset.ts';
import { collectLocalImage } from '../../providers/oci/index.ts';
import { makeSampleImage } from '../../scripts/make-sample-image.ts';
import { VulnStore } from '../../vulns/db/store.ts';
import { syncSource } from '../../vulns/db/sync.ts';
import { attachVulnerabilities } from '../../vulns/enrich.ts';
import { fromEcrBasic, fromInspector, mergeNative } from '../../vulns/native/findings.ts';

let dir: string;
let image: ImageAsset;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'posture-native-'));
  await makeSampleImage(path.join(dir, 'image'));
  const db = path.join(dir, 'db.sqlite');
  const store = VulnStore.open(db, { create: true });
  await syncSource(store, { kind: 'path', path: 'samples/osv' });
  store.close();
  image = attachVulnerabilities(await collectLocalImage(path.join(dir, 'image')), db).assets[0] as ImageAsset;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const enhanced = (JSON.parse(readFileSync('policies/contracts/fixtures/oci/ecr-image-scan-findings.json', 'utf8')) as { imageScanFindings: { enhancedFindings: unknown[] } }).imageScanFindings.enhancedFindings;

describe('registry-native findings', () => {
  it('reads Inspector findings with the package, the epoch:version-release and the fixed version', () => {
    expect(fromInspector(enhanced)).toEqual([
      { scanner: 'inspector2', id: 'CVE-2023-4911', aliases: [], severity: 'high', packageName: 'glibc', packageVersion: '2.36-9+deb12u1', fixedVersion: '2.36-9+deb12u3', uri: 'https://security-tracker.debian.org/tracker/CVE-2023-4911' },
      { scanner: 'inspector2', id: 'CVE-2023-5678', aliases: [], severity: 'medium', packageName: 'openssl', packageVersion: '3.0.11-1~deb12u1', fixedVersion: '3.0.13-1~deb12u1', uri: 'https://security-tracker.debian.org/tracker/CVE-2023-5678' },
    ]);
  });

  it('folds Inspector findings on the source package into our match of its binary packages', () => {
    // The sample image's libc6 comes from source glibc (DSA-5514-1); Inspector names the source package.
    const merged = mergeNative(image, fromInspector(enhanced));
    expect(merged.image.vulnerabilities?.find((v) => v.id === 'CVE-2023-4911' && v.package.name === 'libc6')?.detectedBy).toEqual(['osv', 'inspector2']);
    expect(merged.image.nativeVulnerabilities?.map((n) => n.id)).toEqual(['CVE-2023-5678']);
  });

  it('reads ECR basic findings with their package attributes', () => {
    const basic = fromEcrBasic([{ name: 'CVE-2023-5363', severity: 'HIGH', uri: 'https://security-tracker.debian.org/tracker/CVE-2023-5363', attributes: [{ key: 'package_name', value: 'openssl' }, { key: 'package_version', value: '3.0.11-1~deb12u1' }] }]);
    expect(basic).toEqual([{ scanner: 'ecr-basic', id: 'CVE-2023-5363', aliases: [], severity: 'high', packageName: 'openssl', packageVersion: '3.0.11-1~deb12u1', fixedVersion: null, uri: 'https://security-tracker.debian.org/tracker/CVE-2023-5363' }]);
  });

  it('folds a finding we also matched into ours, and keeps what only the registry saw', () => {
    const native = fromEcrBasic([
      // DSA-5532-1's CVE in the openssl package: we match it too.
      { name: 'CVE-2023-5363', severity: 'HIGH', attributes: [{ key: 'package_name', value: 'openssl' }] },
      // The same CVE reported against another package is not ours.
      { name: 'CVE-2023-5363', severity: 'HIGH', attributes: [{ key: 'package_name', value: 'nodejs' }] },
      // A CVE our database does not hold.
      { name: 'CVE-2024-12797', severity: 'HIGH', attributes: [{ key: 'package_name', value: 'openssl' }] },
    ]);
    const merged = mergeNative(image, native);
    const ours = merged.image.vulnerabilities?.find((v) => v.id === 'CVE-2023-5363' && v.package.name === 'openssl');
    expect(ours?.detectedBy).toEqual(['osv', 'ecr-basic']);
    expect(merged.image.nativeVulnerabilities?.map((n) => `${n.id} ${n.packageName}`)).toEqual(['CVE-2023-5363 nodejs', 'CVE-2024-12797 openssl']);
  });
});
