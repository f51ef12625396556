// Images served by a registry an attacker runs (a loopback stand-in the test starts): every failure in
// the blob pipeline is one scan error on that image, structures an attacker can grow stop at their
// budgets, slow servers stop at deadlines, and the next image in the same process is still analysed.
import { randomBytes } from 'node:crypto';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type ImageAsset } from '../../core/asset.ts';
import { collectRegistryImage, ImageRun, type CollectOptions } from '../../providers/oci/index.ts';
import { fakeAwsKeyId } from './support/fixtures.ts';
import { startHostileRegistry, imageConfig, manifestFor, type HostileRegistry } from './support/hostile-registry.ts';
import { buildLayer, layerFromTar, sha256, tarOf, type BuiltLayer } from './support/layers.ts';

let registry: HostileRegistry;
let opts: CollectOptions;

async function scan(ref: string, extra: CollectOptions = {}): Promise<ImageAsset[]> {
  const assets = await collectRegistryImage(`oci://${registry.host}/${ref}`, { ...opts, ...extra });
  return assets.map((a) => parseAsset(a) as ImageAsset);
}

const codes = (a: ImageAsset): string[] => a.image.scanErrors.map((e) => e.code);
const osRelease = { path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };

beforeAll(async () => {
  registry = await startHostileRegistry();
  opts = { insecureHosts: [registry.host], maxRetries: 0 };
  registry.image('good/app', '1', [await buildLayer([osRelease])]);
});

afterAll(async () => registry?.stop());

/** A layer whose manifest entry promises one thing and whose blob GET answers another. */
async function lyingLayer(repo: string, served: Buffer, declared: { trueDigest?: boolean; size?: number } = {}): Promise<void> {
  const honest = await buildLayer([osRelease]);
  const config = imageConfig([honest]);
  registry.blob(config);
  const digest = declared.trueDigest ? sha256(served) : sha256(Buffer.concat([Buffer.from(repo), randomBytes(8)]));
  const manifest = manifestFor(config, [{ digest, size: declared.size ?? served.length, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }]);
  registry.manifest(repo, manifest, 'application/vnd.oci.image.manifest.v1+json', '1');
  registry.on(`/v2/${repo}/blobs/${digest}`, { kind: 'bytes', body: served });
}

describe('blob pipeline failures', () => {
  it('each becomes one scan error on its image, and the next image is analysed in the same process', async () => {
    const tar = await tarOf([osRelease, { path: 'data', content: randomBytes(40_000) }]);
    const gz = gzipSync(tar);
    const cases: { repo: string; served: Buffer; declared?: { trueDigest?: boolean; size?: number }; code: string }[] = [
      // valid gzip of a valid tar, whole in one chunk, whose bytes are not the ones the digest names
      { repo: 'evil/digest-small', served: gzipSync(await tarOf([osRelease])), code: 'digest-mismatch' },
      { repo: 'evil/digest-large', served: gz, code: 'digest-mismatch' },
      // digests that match what is served, so only the decoder or the tar reader can fail
      { repo: 'evil/gzip-corrupt', served: Buffer.concat([gz.subarray(0, 10), randomBytes(gz.length - 10)]), declared: { trueDigest: true }, code: 'layer-corrupt' },
      { repo: 'evil/not-tar', served: gzipSync(randomBytes(30_000)), declared: { trueDigest: true }, code: 'layer-corrupt' },
      { repo: 'evil/longer', served: gz, declared: { size: gz.length - 100 }, code: 'size-mismatch' },
      { repo: 'evil/shorter', served: gz.subarray(0, gz.length - 100), declared: { size: gz.length }, code: 'layer-truncated' },
    ];
    for (const c of cases) await lyingLayer(c.repo, c.served, c.declared);
    for (const c of cases) {
      const [asset] = await scan(`${c.repo}:1`);
      expect([c.repo, codes(asset!)]).toEqual([c.repo, [c.code]]);
      expect(asset!.image.contents).not.toBeNull();
      const [good] = await scan('good/app:1');
      expect(good!.image.scanErrors).toEqual([]);
      expect(good!.image.contents!.os?.id).toBe('debian');
    }
  });

  it('stops a server that drips one byte at a time at the blob deadline, not at the idle timeout', async () => {
    // 40 KB at one byte per 50 ms would take over half an hour; the idle timeout never fires.
    const layer = await buildLayer([osRelease, { path: 'data', content: randomBytes(40_000) }]);
    registry.image('slow/drip', '1', [layer]);
    registry.on(`/v2/slow/drip/blobs/${layer.digest}`, { kind: 'drip', intervalMs: 50 });
    const [asset] = await scan('slow/drip:1', { timeouts: { bodyIdleMs: 5_000, blobMs: 1_500 } });
    expect(codes(asset!)).toEqual(['timeout']);
    expect(asset!.image.scanErrors[0]!.message).toMatch(/layer 0 \(sha256:[0-9a-f]{64}\): not finished within the 1500 ms deadline/);
  });

  it('stops a manifest that drips at the manifest deadline', async () => {
    registry.on('/v2/slow/manifest/manifests/1', { kind: 'drip', intervalMs: 50 });
    await expect(scan('slow/manifest:1', { timeouts: { bodyIdleMs: 5_000, manifestMs: 1_000 } })).rejects.toThrow(/manifest .*slow\/manifest:1: not finished within the 1 s deadline/);
  });

  it('stops an image whose every layer keeps within the blob deadline at the image deadline', async () => {
    // One dripping layer: the 10 s blob deadline would end it, the image's 1.5 s deadline comes first.
    const layer = await buildLayer([osRelease, { path: 'data', content: randomBytes(40_000) }]);
    registry.image('slow/image', '1', [layer]);
    registry.on(`/v2/slow/image/blobs/${layer.digest}`, { kind: 'drip', intervalMs: 50 });
    const [asset] = await scan('slow/image:1', { timeouts: { bodyIdleMs: 5_000, blobMs: 10_000, imageMs: 1_500 } });
    expect(codes(asset!)).toEqual(['timeout']);
    expect(asset!.image.scanErrors[0]!.message).toMatch(/image .*slow\/image.*: not finished within the 1500 ms deadline/);
  });
});

describe('budgets', () => {
  it('bounds a small layer of very deep paths by the filesystem tree budget and still scans its files for secrets', async () => {
    // 600 entries, each ~2,000 levels deep, differing at the top: under 100 KB gzipped, 1.2 million tree nodes and 2.4 GB of paths.
    const deep = (i: number): string => `d${i}/${'a/'.repeat(1_990)}f`;
    const entries = Array.from({ length: 600 }, (_, i) => ({ path: deep(i), content: i === 599 ? `aws_access_key_id = ${fakeAwsKeyId}\n` : '' }));
    const layer = await buildLayer(entries);
    expect(layer.blob.length).toBeLessThan(100 * 1024);
    registry.image('evil/deep', '1', [layer]);
    const [asset] = await scan('evil/deep:1');
    expect(codes(asset!)).toEqual(['tree-limit']);
    expect(asset!.image.scanErrors[0]!.message).toContain('the paths of the filesystem tree add up to more than 134217728 bytes');
    // Past the budget the walk goes on for content: the key in the last entry is still found.
    expect(asset!.image.contents!.secrets.map((s) => s.rule)).toEqual(['aws-access-key-id']);
  });

  it('analyses a manifest listed many times in an index once, and reads only the first entries of a huge index', async () => {
    const layer = await buildLayer([osRelease]);
    const pushed = registry.image('multi/dup', 'single', [layer]);
    const entry = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: pushed.manifestDigest, size: pushed.manifest.length, platform: { os: 'linux', architecture: 'amd64' } };
    const index = (n: number): Buffer => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: Array.from({ length: n }, () => entry) }));
    registry.manifest('multi/dup', index(5), 'application/vnd.oci.image.index.v1+json', 'dup');
    const dup = await scan('multi/dup:dup', { allPlatforms: true });
    expect(dup.map((a) => a.id)).toEqual([`oci://${registry.host}/multi/dup@${pushed.manifestDigest}`]);
    expect(dup[0]!.image.scanErrors).toEqual([]);

    registry.manifest('multi/dup', index(20_000), 'application/vnd.oci.image.index.v1+json', 'huge');
    const huge = await scan('multi/dup:huge', { allPlatforms: true });
    expect(huge).toHaveLength(1);
    expect(codes(huge[0]!)).toEqual(['index-limit']);
    expect(huge[0]!.image.scanErrors[0]!.message).toContain('lists 20000 manifests; only the first 1000 were considered');
  });

  it('analyses an image once per run however often it is named, and stops at the images-per-run budget', async () => {
    const run = new ImageRun(2);
    registry.image('budget/a', '1', [await buildLayer([{ path: 'a', content: 'a' }])]);
    registry.image('budget/a', 'again', [await buildLayer([{ path: 'a', content: 'a' }])]);
    registry.image('budget/b', '1', [await buildLayer([{ path: 'b', content: 'b' }])]);
    registry.image('budget/c', '1', [await buildLayer([{ path: 'c', content: 'c' }])]);
    const before = registry.requests.length;
    const [a1] = await scan('budget/a:1', { run });
    const [a2] = await scan('budget/a:again', { run });
    const layerGets = registry.requests.slice(before).filter((r) => r.path.includes('/blobs/sha256:') && r.path.startsWith('/v2/budget/a/'));
    expect(a2!.id).toBe(a1!.id);
    expect(layerGets).toHaveLength(2); // one config and one layer, not twice each
    const [b] = await scan('budget/b:1', { run });
    const [c] = await scan('budget/c:1', { run });
    expect(codes(b!)).toEqual([]);
    expect(codes(c!)).toEqual(['image-limit']);
    expect(c!.image.contents).toBeNull();
  });
});

describe('layer formats and paths', () => {
  it('reads absolute entry paths relative to the root, so a key in /root/.aws/credentials is found', async () => {
    const layer = await buildLayer([
      { path: '/root/.aws/credentials', content: `[default]\naws_access_key_id = ${fakeAwsKeyId}\n` },
      { path: '/etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
      { path: '/../escape', content: 'x' },
    ]);
    registry.image('abs/paths', '1', [layer]);
    const [asset] = await scan('abs/paths:1');
    expect(codes(asset!)).toEqual(['path-traversal']);
    expect(asset!.image.contents!.secrets).toEqual([expect.objectContaining({ path: '/root/.aws/credentials', rule: 'aws-access-key-id', inFinalFilesystem: true })]);
    expect(asset!.image.contents!.users.map((u) => u.name)).toEqual(['root']);
  });

  it('analyses zstd-compressed layers (compressed by libzstd, not by the code under test)', async () => {
    const tar = await tarOf([osRelease, { path: 'app/.env', content: `AWS_ACCESS_KEY_ID=${fakeAwsKeyId}\n` }]);
    const blob = zstdCompressSync(tar);
    const layer: BuiltLayer = { ...layerFromTar(tar), blob, digest: sha256(blob), mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' };
    registry.image('zstd/app', '1', [layer]);
    const [asset] = await scan('zstd/app:1');
    expect(asset!.image.scanErrors).toEqual([]);
    expect(asset!.image.contents!.os?.id).toBe('debian');
    expect(asset!.image.contents!.secrets.map((s) => s.path)).toEqual(['/app/.env']);
  });

  it('refuses a zstd frame that asks for a window of gigabytes instead of allocating it', async () => {
    const tar = await tarOf([osRelease]);
    // A valid frame by the format spec (RFC 8878): header with a 2 GiB window descriptor, one raw last block.
    const header = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, (31 - 10) << 3]);
    const block = Buffer.alloc(3);
    block.writeUIntLE(1 | (tar.length << 3), 0, 3);
    const blob = Buffer.concat([header, block, tar]);
    const layer: BuiltLayer = { ...layerFromTar(tar), blob, digest: sha256(blob), mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' };
    registry.image('zstd/window', '1', [layer]);
    const [asset] = await scan('zstd/window:1');
    expect(codes(asset!)).toEqual(['layer-corrupt']);
    expect(asset!.image.scanErrors[0]!.message).toMatch(/not a readable tar\.zst \(Frame requires too much memory for decoding\)/);
  });
});
