// ECR's own scanner as a second source (providers/aws/native-scan.ts), with the real AWS SDK clients: ECR
// (registry scanning configuration, DescribeImageScanFindings) against moto, and Inspector2 ListFindings
// against a loopback stand-in speaking the inspector2 REST-JSON wire format (moto's list_findings ignores
// filters and never pages, so it could not show either). An ECR image pulled from a real registry gets
// Inspector's findings when the registry's scanning is ENHANCED and ECR's basic ones when it is BASIC; a
// failing Inspector leaves REG-002 not evaluated, never passed.
import { CreateRepositoryCommand, ECRClient, PutImageCommand, PutRegistryScanningConfigurationCommand, StartImageScanCommand } from '@aws-sdk/client-ecr';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageAsset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { outcomeOf } from '../../core/outcomes.ts';
import { Engine } from '../../policies/engine.ts';
import { nativeScan } from '../../providers/aws/native-scan.ts';
import { AwsSettings } from '../../providers/aws/settings.ts';
import { Orchestration } from '../../providers/orchestrate.ts';
import type { ImageTarget } from '../../providers/provider.ts';
import { craneFor } from '../oci/support/crane.ts';
import { debianSpec } from '../oci/support/fixtures.ts';
import { writeLayout } from '../oci/support/layout-writer.ts';
import { startRegistry, type RunningRegistry } from '../oci/support/registry-server.ts';
import { startInspector2, type Inspector2Finding, type Inspector2StandIn } from '../standins/inspector2.ts';
import { motoCredentials, startMoto, type MotoServer } from '../standins/moto.ts';

const account = '123456789012';
const enhancedRegion = 'eu-west-1';
const basicRegion = 'us-east-1';
const host = (region: string) => `${account}.dkr.ecr.${region}.amazonaws.com`;
const now = new Date('2026-11-26T12:00:00Z');

let moto: MotoServer;
let inspector: Inspector2StandIn;
let registry: RunningRegistry;
let work: string;
/** Digests in moto's ECR: scanned with findings, scanned clean (ACTIVE), never scanned. */
let vulnerable: string;
let clean: string;
let unscanned: string;
let pulled: string;

/** One Inspector finding in ListFindings' wire form (timestamps in epoch seconds, as REST-JSON sends them). */
function finding(n: number, o: { digest: string; repository?: string; registry?: string; status?: Inspector2Finding['status']; cve: string; severity: string; pkg: string; version: string; release: string; fixed: string }): Inspector2Finding {
  return {
    findingArn: `arn:aws:inspector2:${enhancedRegion}:${account}:finding/${n.toString(16).padStart(32, '0')}`,
    awsAccountId: o.registry ?? account,
    type: 'PACKAGE_VULNERABILITY',
    status: o.status ?? 'ACTIVE',
    severity: o.severity,
    title: `${o.cve} - ${o.pkg}`,
    description: `${o.cve} in ${o.pkg}`,
    remediation: { recommendation: { text: 'None Provided' } },
    firstObservedAt: 1_790_000_000,
    lastObservedAt: 1_790_000_000,
    updatedAt: 1_790_000_000,
    fixAvailable: 'YES',
    packageVulnerabilityDetails: {
      vulnerabilityId: o.cve,
      source: 'DEBIAN_CVE',
      sourceUrl: `https://security-tracker.debian.org/tracker/${o.cve}`,
      relatedVulnerabilities: [],
      vulnerablePackages: [{ name: o.pkg, version: o.version, release: o.release, epoch: 0, arch: 'AMD64', packageManager: 'OS', fixedInVersion: o.fixed }],
    },
    resources: [
      {
        type: 'AWS_ECR_CONTAINER_IMAGE',
        id: `arn:aws:ecr:${enhancedRegion}:${o.registry ?? account}:repository/${o.repository ?? 'shop/api'}/${o.digest}`,
        details: { awsEcrContainerImage: { repositoryName: o.repository ?? 'shop/api', imageHash: o.digest, registry: o.registry ?? account, imageTags: ['1.0'], pushedAt: 1_789_990_000 } },
      },
    ],
  };
}

/** Debian bookworm advisories (DSA-5514-1, DSA-5532-1, DSA-5611-1 and the 3.0.13-1~deb12u1 openssl update): package, installed, fixed. */
const advisories = [
  { cve: 'CVE-2023-4911', severity: 'HIGH', pkg: 'glibc', version: '2.36', release: '9+deb12u1', fixed: '2.36-9+deb12u3' },
  { cve: 'CVE-2023-6246', severity: 'HIGH', pkg: 'glibc', version: '2.36', release: '9+deb12u1', fixed: '2.36-9+deb12u4' },
  { cve: 'CVE-2023-5363', severity: 'HIGH', pkg: 'openssl', version: '3.0.11', release: '1~deb12u1', fixed: '3.0.11-1~deb12u2' },
  { cve: 'CVE-2023-5678', severity: 'MEDIUM', pkg: 'openssl', version: '3.0.11', release: '1~deb12u1', fixed: '3.0.13-1~deb12u1' },
  { cve: 'CVE-2024-0727', severity: 'MEDIUM', pkg: 'openssl', version: '3.0.11', release: '1~deb12u1', fixed: '3.0.13-1~deb12u1' },
];

async function seedEcr(): Promise<void> {
  const ecr = (region: string) => new ECRClient({ ...moto.clientConfig, region });
  const eu = ecr(enhancedRegion);
  await eu.send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilters: [{ filter: '*', filterType: 'WILDCARD' }] }] }));
  await eu.send(new CreateRepositoryCommand({ repositoryName: 'shop/api' }));
  const manifest = await readFile(join(work, 'manifest.json'), 'utf8');
  // Images in moto's ECR (manifests differing by an annotation), each under the digest of its manifest as ECR names it.
  const put = async (client: ECRClient, tag: string) => {
    const m = JSON.parse(manifest) as Record<string, unknown>;
    const body = JSON.stringify({ ...m, annotations: { tag } });
    const imageDigest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    await client.send(new PutImageCommand({ repositoryName: 'shop/api', imageTag: tag, imageManifest: body, imageManifestMediaType: m.mediaType as string, imageDigest }));
    return imageDigest;
  };
  vulnerable = await put(eu, 'vulnerable');
  clean = await put(eu, 'clean');
  unscanned = await put(eu, 'unscanned');
  for (const digest of [vulnerable, clean]) await eu.send(new StartImageScanCommand({ repositoryName: 'shop/api', imageId: { imageDigest: digest } }));
  // What ECR says of an image under continuous enhanced scanning with nothing found.
  const status = (digest: string) => ({ registryId: account, repositoryName: 'shop/api', imageId: { imageDigest: digest }, imageScanStatus: { status: 'ACTIVE', description: 'Continuous scan is selected for image.' }, imageScanFindings: { findingSeverityCounts: {} } });
  await fetch(`${moto.endpoint}/moto-api/static/ecr/scan-finding-results`, { method: 'POST', body: JSON.stringify({ results: [status(clean), status(vulnerable)], region: enhancedRegion }) });

  const us = ecr(basicRegion);
  await us.send(new CreateRepositoryCommand({ repositoryName: 'shop/api' }));
  const basicDigest = await put(us, 'basic');
  await us.send(new StartImageScanCommand({ repositoryName: 'shop/api', imageId: { imageDigest: basicDigest } }));
  const basicResult = {
    registryId: account,
    repositoryName: 'shop/api',
    imageId: { imageDigest: basicDigest },
    imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
    imageScanFindings: {
      findings: [{ name: 'CVE-2023-5363', severity: 'HIGH', uri: 'https://security-tracker.debian.org/tracker/CVE-2023-5363', attributes: [{ key: 'package_name', value: 'openssl' }, { key: 'package_version', value: '3.0.11-1~deb12u1' }] }],
      findingSeverityCounts: { HIGH: 1 },
    },
  };
  await fetch(`${moto.endpoint}/moto-api/static/ecr/scan-finding-results`, { method: 'POST', body: JSON.stringify({ results: [basicResult], region: basicRegion }) });
  basicImage = basicDigest;
}
let basicImage: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-inspector-'));
  moto = await startMoto({ region: enhancedRegion });
  registry = await startRegistry({ kind: 'htpasswd', users: { AWS: `${account}-auth-token`, pusher: 'push-secret' } });
  const crane = await craneFor(registry.host, 'pusher', 'push-secret');
  await writeLayout(join(work, 'debian'), await debianSpec());
  await crane('push', join(work, 'debian'), `${registry.host}/shop/api:1.0`);
  pulled = await crane('digest', `${registry.host}/shop/api:1.0`);
  await writeFile(join(work, 'manifest.json'), await crane('manifest', `${registry.host}/shop/api:1.0`));
  await seedEcr();
  inspector = await startInspector2({
    pageSize: 2,
    findings: [
      ...advisories.map((a, i) => finding(i + 1, { digest: vulnerable, ...a })),
      ...advisories.map((a, i) => finding(i + 11, { digest: pulled, ...a })),
      // Not this image's: another digest, another repository, another registry, and one suppressed in Inspector.
      finding(21, { digest: clean.replace(/.$/, '0'), ...advisories[0]! }),
      finding(22, { digest: vulnerable, repository: 'shop/web', ...advisories[0]! }),
      finding(23, { digest: vulnerable, registry: '210987654321', ...advisories[0]! }),
      finding(24, { digest: vulnerable, status: 'SUPPRESSED', cve: 'CVE-2024-2961', severity: 'HIGH', pkg: 'glibc', version: '2.36', release: '9+deb12u1', fixed: '2.36-9+deb12u7' }),
    ],
  });
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([moto?.stop(), inspector?.stop(), registry?.stop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

const settingsFor = () => AwsSettings.parse({ endpoints: { ecr: moto.endpoint, inspector2: inspector.endpoint }, maxAttempts: 1 });
const access = { credentials: motoCredentials };
const targetOf = (digest: string, region = enhancedRegion): ImageTarget => ({ provider: 'aws', account, region, image: { registry: host(region), repository: 'shop/api', digest, tag: null }, scope: 'aws/test' });
const imageOf = (digest: string) => ({ id: `oci://${host(enhancedRegion)}/shop/api@${digest}`, image: { digest } }) as unknown as ImageAsset;
const read = (digest: string, region = enhancedRegion) => nativeScan.read({ settings: settingsFor(), access, image: imageOf(digest), target: targetOf(digest, region) });

describe('ECR enhanced scanning: Inspector2 ListFindings', () => {
  it("reads every page of the image's active package findings, filtered to its registry, repository and digest", async () => {
    const before = inspector.requests.length;
    const result = await read(vulnerable);
    expect(result.scanner).toBe('inspector2');
    expect(result.truncated).toBe(false);
    expect(result.findings).toEqual(
      advisories.map((a) => ({
        scanner: 'inspector2',
        id: a.cve,
        aliases: [],
        severity: a.severity.toLowerCase(),
        packageName: a.pkg,
        packageVersion: `${a.version}-${a.release}`,
        fixedVersion: a.fixed,
        uri: `https://security-tracker.debian.org/tracker/${a.cve}`,
      })),
    );
    // Five findings, two per page: three requests, the later ones carrying the previous nextToken.
    const sent = inspector.requests.slice(before);
    expect(sent).toHaveLength(3);
    expect(sent[0]!.nextToken).toBeUndefined();
    expect(sent[1]!.nextToken).toEqual(expect.any(String));
    expect(sent[2]!.nextToken).not.toBe(sent[1]!.nextToken);
    expect(sent[0]!.maxResults).toBe(100);
    expect(sent[0]!.filterCriteria).toEqual({
      ecrImageRegistry: [{ comparison: 'EQUALS', value: account }],
      ecrImageRepositoryName: [{ comparison: 'EQUALS', value: 'shop/api' }],
      ecrImageHash: [{ comparison: 'EQUALS', value: vulnerable }],
      findingType: [{ comparison: 'EQUALS', value: 'PACKAGE_VULNERABILITY' }],
      findingStatus: [{ comparison: 'EQUALS', value: 'ACTIVE' }],
    });
  });

  it('takes an empty answer as a clean scan only while ECR reports the image under continuous scanning', async () => {
    await expect(read(clean)).resolves.toEqual({ scanner: 'inspector2', findings: [], truncated: false });
    // Never scanned: ECR has no scan of it, so nothing shows Inspector looked (no evidence, not clean).
    await expect(read(unscanned)).resolves.toEqual({ scanner: 'inspector2', findings: null, truncated: false });
  });

  it("fails with Inspector's error when ListFindings is refused", async () => {
    inspector.failNext(1, { status: 403, type: 'AccessDeniedException', message: 'User is not authorized to perform: inspector2:ListFindings' });
    await expect(read(vulnerable)).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringMatching(/inspector2:ListFindings/) });
  });
});

describe('ECR basic scanning', () => {
  it("reads DescribeImageScanFindings when the registry's scan type is BASIC, and never asks Inspector", async () => {
    const before = inspector.requests.length;
    const result = await read(basicImage, basicRegion);
    expect(result).toEqual({
      scanner: 'ecr-basic',
      findings: [{ scanner: 'ecr-basic', id: 'CVE-2023-5363', aliases: [], severity: 'high', packageName: 'openssl', packageVersion: '3.0.11-1~deb12u1', fixedVersion: null, uri: 'https://security-tracker.debian.org/tracker/CVE-2023-5363' }],
      truncated: false,
    });
    expect(inspector.requests.length).toBe(before);
  });
});

describe('a pulled ECR image', () => {
  const pull = async () => {
    const run = new Orchestration({
      settings: { aws: { endpoints: { ecr: moto.endpoint, inspector2: inspector.endpoint }, maxAttempts: 1 } },
      access: { aws: access },
      images: { endpoints: { [host(enhancedRegion)]: registry.host }, insecureHosts: [registry.host] },
      now: () => now,
    });
    try {
      const [image] = await run.pullImage(targetOf(pulled));
      return image as ImageAsset;
    } finally {
      await run.close();
    }
  };
  const reg002 = async (image: ImageAsset) => {
    const engine = await Engine.load({ config: parseConfig({}), now });
    return outcomeOf(engine.assess(image).outcomes, 'REG-002');
  };

  it("carries Inspector's findings, and REG-002 fails on the high ones posture did not match", async () => {
    const image = await pull();
    expect(image.raw.nativeScan).toEqual({ scanner: 'inspector2', status: 'reported', findings: 5, truncated: false });
    expect(image.image.nativeVulnerabilities?.map((v) => v.id)).toEqual(advisories.map((a) => a.cve));
    expect(await reg002(image)).toBe('fail');
  });

  it('is not evaluated by REG-002 (not passed) when Inspector cannot be read', async () => {
    inspector.failNext(1, { status: 500, type: 'InternalServerException', message: 'internal error' });
    const image = await pull();
    expect(image.image.nativeVulnerabilities).toBeUndefined();
    expect(image.raw.nativeScan).toMatchObject({ scanner: 'ecr', status: 'unreadable', error: expect.stringMatching(/internal error/) });
    expect(await reg002(image)).toBe('not-evaluated');
  });
});
