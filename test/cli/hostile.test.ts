// `posture scan` against hostile inputs, as a user runs it: a registry that serves broken blobs (the run
// goes on, the exit code says some input was unreadable), images that used to slip through a gate
// (zstd layers, too many layers), terminal escapes in scanned names and registry errors, and the
// command-line mistakes that must be usage errors (exit 2) with a message saying what is missing.
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakePrivateKey } from '../oci/support/fixtures.ts';
import { imageConfig, manifestFor, startHostileRegistry, type HostileRegistry } from '../oci/support/hostile-registry.ts';
import { buildLayer, layerFromTar, sha256, tarOf, type BuiltLayer } from '../oci/support/layers.ts';
import { runCli } from './helpers.ts';

interface Report {
  assets: { id: string; image?: { scanErrors: { code: string }[] } }[];
  findings: { ruleId: string; severity: string; assetId: string }[];
  errors: { source: string; message: string }[];
}

let registry: HostileRegistry;
const tmp = () => mkdtempSync(path.join(tmpdir(), 'posture-cli-hostile-'));
// `--insecure-registry` takes several values: an option after it ends the list.
const scan = (...args: string[]) => runCli(['scan', '--insecure-registry', registry.host, '--no-history', ...args]);

beforeAll(async () => {
  registry = await startHostileRegistry();
  registry.image('good/app', '1', [await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }])]);
});
afterAll(async () => registry?.stop());

describe('a hostile registry in a CLI run', () => {
  it('reports a blob that fails its digest as an error on that image and still scans the next one (exit 3)', async () => {
    const layer = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }, { path: 'data', content: Buffer.alloc(30_000, 7) }]);
    // Same length, still valid gzip (its MTIME byte changed), different digest: the storage was tampered with.
    const tampered = Buffer.from(layer.blob);
    tampered[4] = tampered[4]! ^ 0xff;
    registry.image('evil/tampered', '1', [layer]);
    registry.on(`/v2/evil/tampered/blobs/${layer.digest}`, { kind: 'bytes', body: tampered });
    const run = await scan('--format', 'json', `oci://${registry.host}/evil/tampered:1`, `oci://${registry.host}/good/app:1`);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.assets).toHaveLength(2);
    const evil = report.assets.find((a) => a.id.includes('/evil/tampered@'))!;
    expect(evil.image!.scanErrors.map((e) => e.code)).toEqual(['digest-mismatch']);
    expect(report.errors).toEqual([{ source: evil.id, message: expect.stringContaining(`${evil.id}: image not analyzed completely: digest-mismatch:`) }]);
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'IMG-014', severity: 'high', assetId: evil.id }));
    expect(run.stderr).toContain('image not analyzed completely: digest-mismatch');
  });

  it('survives a blob that fails its digest and breaks the gzip decoder mid-stream: one error on that image, the next one scanned (exit 3)', async () => {
    const layer = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }, { path: 'data', content: Buffer.alloc(60_000, 3) }]);
    // The gzip header is intact; what follows it is 0xff bytes, a deflate block of the reserved type 3, so the
    // decoder fails while the digest of the blob (which is not the one the manifest names) is still being computed.
    const broken = Buffer.concat([layer.blob.subarray(0, 10), Buffer.alloc(layer.blob.length - 10, 0xff)]);
    registry.image('evil/broken', '1', [layer]);
    registry.on(`/v2/evil/broken/blobs/${layer.digest}`, { kind: 'bytes', body: broken });
    const run = await scan('--format', 'json', '--fail-on', 'high', `oci://${registry.host}/evil/broken:1`, `oci://${registry.host}/good/app:1`);
    expect([run.code, run.stderr]).toEqual([3, expect.stringContaining('image not analyzed completely')]);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.assets).toHaveLength(2);
    const evil = report.assets.find((a) => a.id.includes('/evil/broken@'))!;
    const good = report.assets.find((a) => a.id.includes('/good/app@'))!;
    // One error on that image, naming either failure: both are true of this blob.
    expect(evil.image!.scanErrors).toHaveLength(1);
    expect(['digest-mismatch', 'layer-corrupt']).toContain(evil.image!.scanErrors[0]!.code);
    expect(good.image!.scanErrors).toEqual([]);
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'IMG-014', severity: 'high', assetId: evil.id }));
  });

  it('finds a private key in a zstd layer, so --fail-on high fails (exit 1)', async () => {
    const tar = await tarOf([{ path: 'etc/os-release', content: 'ID=debian\n' }, { path: 'root/.ssh/id_rsa', content: fakePrivateKey }]);
    const blob = zstdCompressSync(tar);
    const layer: BuiltLayer = { ...layerFromTar(tar), blob, digest: sha256(blob), mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' };
    registry.image('zstd/keys', '1', [layer]);
    const run = await scan('--format', 'json', '--fail-on', 'high', `oci://${registry.host}/zstd/keys:1`);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.errors).toEqual([]);
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'IMG-002', severity: 'critical' }));
    expect(run.code).toBe(1);
  });

  it('fails --fail-on high for an image with more layers than the analyzer reads', async () => {
    const tiny = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }]);
    const config = imageConfig(Array.from({ length: 300 }, () => tiny));
    registry.blob(config);
    registry.blob(tiny.blob);
    const manifest = manifestFor(config, Array.from({ length: 300 }, () => ({ digest: tiny.digest, size: tiny.blob.length, mediaType: tiny.mediaType })));
    registry.manifest('evil/layers', manifest, 'application/vnd.oci.image.manifest.v1+json', '1');
    const run = await scan('--format', 'json', '--fail-on', 'high', `oci://${registry.host}/evil/layers:1`);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: 'IMG-014', severity: 'high' }));
    expect(run.code).not.toBe(0);
    // The severity is configuration.
    const dir = tmp();
    writeFileSync(path.join(dir, 'posture.yaml'), 'image:\n  incompleteAnalysisSeverity: critical\n');
    const again = await scan('--format', 'json', '--config', path.join(dir, 'posture.yaml'), `oci://${registry.host}/evil/layers:1`);
    expect((JSON.parse(again.stdout) as Report).findings).toContainEqual(expect.objectContaining({ ruleId: 'IMG-014', severity: 'critical' }));
  });
});

describe('terminal safety', () => {
  const esc = '\u001b';
  const hostile = [`${esc}]0;pwned${'\u0007'}`, `${esc}[2J`, `${esc}[1A${esc}[2KNo findings`, '\u009b31m', '\u202eevil'];
  const raw = (text: string): string[] => hostile.filter((h) => text.includes(h)).concat([esc, '\u0007', '\u009b', '\u202e'].filter((c) => text.includes(c)));

  it('escapes control characters from scanned names and registry error bodies in the table and on stderr', async () => {
    const dir = tmp();
    const eks = JSON.parse(readFileSync(path.resolve('samples/aws/eks-cluster-analytics.json'), 'utf8')) as { cluster: { name: string; arn: string } };
    eks.cluster.name = `analytics${hostile.join('')}`;
    eks.cluster.arn = `${eks.cluster.arn}${hostile[0]}`;
    writeFileSync(path.join(dir, 'eks.json'), JSON.stringify(eks));
    registry.on('/v2/evil/noisy/manifests/1', { kind: 'answer', status: 404, body: () => `{"errors":[{"message":"${hostile.join('').replaceAll(esc, '\\u001b').replaceAll('\u0007', '\\u0007')}"}]}` });
    registry.on('/v2/evil/noisy2/manifests/1', { kind: 'answer', status: 500, body: () => `plain ${hostile.join('')} text` });
    const run = await scan(dir, `oci://${registry.host}/evil/noisy:1`, `oci://${registry.host}/evil/noisy2:1`);
    expect([run.code, run.stderr]).toEqual([3, expect.any(String)]);
    expect(run.stdout).toContain('analytics\\x1b]0;pwned\\x07');
    expect(run.stdout).toContain('evil/noisy2:1');
    expect(raw(run.stdout)).toEqual([]);
    expect(raw(run.stderr)).toEqual([]);
  });
});

describe('usage and configuration errors say what is wrong and exit 2', () => {
  it('posture evidence without its options names the missing ones', async () => {
    const run = await runCli(['evidence', '--from', '2026-01-01']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/evidence needs --to, --out/);
  });

  it('a malformed --regions value is a usage error, comma-separated or not', async () => {
    for (const regions of [['eu-west-1,not_a_region'], ['eu-west-1', 'not_a_region']]) {
      const run = await runCli(['scan', '--no-history', '--aws', '--regions', ...regions]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/aws settings are invalid:\n\s+regions\.1: an AWS region name looks like eu-west-1/);
    }
  });

  it('--azure without subscriptions says where to name them', async () => {
    const run = await runCli(['scan', '--no-history', '--azure']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/azure\.subscriptions is empty: name the subscriptions to scan/);
  });
});
