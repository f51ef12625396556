// Artifact Analysis occurrences (providers/gcp/native-scan.ts) through the real Grafeas client over gRPC to a
// loopback grafeas.v1.Grafeas stand-in built from the shipped protos: the filter names the image's resource
// URL, every page is read, package issues map to findings (distribution rating first, no fix when the fixed
// version is the MAXIMUM kind), an image without occurrences is no evidence, a refused project an error. The
// collected path (pulled image → nativeVulnerabilities) is in collect-gcp.test.ts.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageAsset } from '../../core/asset.ts';
import { artifactAnalysisResource, nativeScan, occurrenceFilter } from '../../providers/gcp/native-scan.ts';
import { GcpSettings } from '../../providers/gcp/settings.ts';
import type { ImageTarget } from '../../providers/provider.ts';
import { type GrafeasStandIn, startGrafeasStandIn } from '../standins/grafeas-grpc.ts';
import { vulnerabilityOccurrence } from './support/occurrences.ts';

const registry = 'europe-west1-docker.pkg.dev';
const repository = 'shop-prod-123/docker-eu/shop/api';
const digest = `sha256:${'c'.repeat(64)}`;
const resourceUrl = `https://${registry}/${repository}@${digest}`;
let grafeas: GrafeasStandIn;

beforeAll(async () => {
  grafeas = await startGrafeasStandIn({
    maxPageSize: 2,
    occurrences: {
      'shop-prod-123': [
        vulnerabilityOccurrence(resourceUrl, 'CVE-2023-4911', { severity: 'HIGH', effectiveSeverity: 'HIGH', pkg: 'glibc', affected: ['2.36', '9+deb12u1'], fixed: ['2.36', '9+deb12u3'] }),
        vulnerabilityOccurrence(resourceUrl, 'CVE-2023-5678', { severity: 'MEDIUM', effectiveSeverity: 'LOW', pkg: 'openssl', affected: ['3.0.11', '1~deb12u1'], fixed: ['3.0.13', '1~deb12u1'] }),
        vulnerabilityOccurrence(resourceUrl, 'CVE-2023-45853', { severity: 'CRITICAL', effectiveSeverity: 'SEVERITY_UNSPECIFIED', pkg: 'zlib', affected: ['1.2.13.dfsg', '1', 1], fixed: null }),
        // Not this image's: another digest, and a DISCOVERY occurrence of this one.
        vulnerabilityOccurrence(resourceUrl.replace(/c{64}$/, 'd'.repeat(64)), 'CVE-2023-4911', { severity: 'HIGH', effectiveSeverity: 'HIGH', pkg: 'glibc', affected: ['2.36', '9+deb12u1'], fixed: ['2.36', '9+deb12u3'] }),
        { name: 'projects/shop-prod-123/occurrences/discovery-1', resourceUri: resourceUrl, noteName: 'projects/goog-analysis/notes/PACKAGE_VULNERABILITY', kind: 'DISCOVERY', discovery: { analysisStatus: 'FINISHED_SUCCESS' } },
      ],
    },
    denied: ['shop-denied-1'],
  });
});
afterAll(() => grafeas?.stop());

const access = () => ({ authClient: undefined as never, clientOptions: { containerAnalysis: { apiEndpoint: '127.0.0.1', port: grafeas.port, sslCreds: grpc.credentials.createInsecure() } } });
const read = (repo: string, d = digest) => {
  const target: ImageTarget = { provider: 'gcp', account: repo.split('/')[0]!, region: 'europe-west1', image: { registry, repository: repo, digest: d, tag: null }, scope: 'gcp/test' };
  const image = { id: `oci://${registry}/${repo}@${d}`, image: { digest: d } } as unknown as ImageAsset;
  return nativeScan.read({ settings: GcpSettings.parse({}), access: { ...access(), authClient: fakeAuth }, image, target });
};
const fakeAuth = { getAccessToken: async () => ({ token: 'ya29.test' }), getRequestHeaders: async () => new Headers({ authorization: 'Bearer ya29.test' }) } as never;

describe('Artifact Analysis occurrences', () => {
  it("reads every page of the image's VULNERABILITY occurrences and maps each package issue", async () => {
    const before = grafeas.requests.length;
    const result = await read(repository);
    expect(result).toEqual({
      scanner: 'artifact-analysis',
      truncated: false,
      findings: [
        { scanner: 'artifact-analysis', id: 'CVE-2023-4911', aliases: [], severity: 'high', packageName: 'glibc', packageVersion: '2.36-9+deb12u1', fixedVersion: '2.36-9+deb12u3', uri: 'https://security-tracker.debian.org/tracker/CVE-2023-4911' },
        // The distribution's rating (effectiveSeverity) before the CVSS one.
        { scanner: 'artifact-analysis', id: 'CVE-2023-5678', aliases: [], severity: 'low', packageName: 'openssl', packageVersion: '3.0.11-1~deb12u1', fixedVersion: '3.0.13-1~deb12u1', uri: 'https://security-tracker.debian.org/tracker/CVE-2023-5678' },
        // No distribution rating: the CVSS one; no fix released (fixed version of kind MAXIMUM).
        { scanner: 'artifact-analysis', id: 'CVE-2023-45853', aliases: [], severity: 'critical', packageName: 'zlib', packageVersion: '1:1.2.13.dfsg-1', fixedVersion: null, uri: 'https://security-tracker.debian.org/tracker/CVE-2023-45853' },
      ],
    });
    const sent = grafeas.requests.slice(before);
    expect(sent.map((r) => r.parent)).toEqual(['projects/shop-prod-123', 'projects/shop-prod-123']);
    expect(sent[0]!.filter).toBe(`kind="VULNERABILITY" AND resourceUrl="${resourceUrl}"`);
    expect(sent[0]!.pageToken).toBe('');
    expect(sent[1]!.pageToken).not.toBe('');
  });

  it('reports no evidence (null, not an empty list) for an image without occurrences', async () => {
    await expect(read(repository, `sha256:${'e'.repeat(64)}`)).resolves.toEqual({ scanner: 'artifact-analysis', findings: null, truncated: false });
  });

  it('fails with the API’s error when the project refuses (the orchestration records it as unreadable)', async () => {
    await expect(read('shop-denied-1/docker-eu/shop/api')).rejects.toThrow(/PERMISSION_DENIED.*containeranalysis\.occurrences\.list/);
  });

  it('puts nothing from outside into the filter unchecked', () => {
    expect(() => occurrenceFilter('https://europe-west1-docker.pkg.dev/p/r/i@sha256:x" OR kind="BUILD')).toThrow(/not an image resource URL/);
    expect(artifactAnalysisResource(registry, 'Not_A_Project/r/i', digest)).toBeNull();
    expect(artifactAnalysisResource(registry, repository, 'sha256:short')).toBeNull();
  });
});
