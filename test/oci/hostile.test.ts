// Hostile and broken images pulled from a real registry: each gives its own scan error on an image
// asset (never a clean pass), reading stops at the caps, and the process goes on to scan the next image.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type ImageAsset } from '../../core/asset.ts';
import { collectRegistryImage, staticCredentials, type CollectOptions } from '../../providers/oci/index.ts';
import { craneFor, type Crane } from './support/crane.ts';
import { startFaultProxy } from './support/fault-proxy.ts';
import { debianSpec } from './support/fixtures.ts';
import { buildLayer, layerFromTar, tarOf, type BuiltLayer } from './support/layers.ts';
import { writeLayout } from './support/layout-writer.ts';
import { startRegistry, type RunningRegistry } from './support/registry-server.ts';

const MiB = 1024 * 1024;
let registry: RunningRegistry;
let crane: Crane;
let work: string;
let opts: CollectOptions;

async function push(name: string, layers: BuiltLayer[]): Promise<string> {
  const dir = join(work, name.replace(/[/:]/g, '_'));
  await writeLayout(dir, { layers });
  await crane('push', dir, `${registry.host}/${name}`);
  return crane('digest', `${registry.host}/${name}`);
}

async function scan(name: string, extra: CollectOptions = {}): Promise<ImageAsset> {
  const assets = await collectRegistryImage(`oci://${registry.host}/${name}`, { ...opts, ...extra });
  expect(assets).toHaveLength(1);
  return parseAsset(assets[0]) as ImageAsset;
}

const codes = (a: ImageAsset): string[] => a.image.scanErrors.map((e) => e.code);

beforeAll(async () => {
  registry = await startRegistry({ kind: 'htpasswd', users: { ci: 'ci-secret' } });
  crane = await craneFor(registry.host, 'ci', 'ci-secret');
  work = await mkdtemp(join(tmpdir(), 'posture-oci-hostile-'));
  opts = { insecureHosts: [registry.host], credentialProviders: [staticCredentials(registry.host, { kind: 'basic', username: 'ci', password: 'ci-secret' })], maxRetries: 0 };
});

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('hostile layers', () => {
  it('records and skips path traversal, keeping the safe entries and reading absolute paths from the root', async () => {
    await push('evil/traversal:1', [
      await buildLayer([
        { path: '../../../etc/cron.d/evil', content: 'x' },
        { path: 'app/../../escape', content: 'x' },
        { path: '/etc/absolute', content: 'x' },
        { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
      ]),
    ]);
    const asset = await scan('evil/traversal:1');
    expect(codes(asset).sort()).toEqual(['path-traversal', 'path-traversal']);
    expect(asset.image.scanErrors.find((e) => e.code === 'path-traversal')!.message).toContain('"../../../etc/cron.d/evil" climbs out');
    expect(asset.image.contents!.users.map((u) => u.name)).toEqual(['root']);
    expect(asset.image.contents!.fileCount).toBe(2); // etc/passwd and /etc/absolute
  });

  it('records and skips symlinks and hard links that escape the root', async () => {
    await push('evil/links:1', [
      await buildLayer([
        { path: 'etc/', type: 'dir' },
        { path: 'etc/shadow-link', type: 'symlink', target: '../../../../etc/shadow' },
        { path: 'etc/ok-link', type: 'symlink', target: '../usr/bin/env' },
        { path: 'etc/abs-link', type: 'symlink', target: '/usr/bin/env' },
        { path: 'etc/hard', type: 'hardlink', target: '../../outside' },
      ]),
    ]);
    const asset = await scan('evil/links:1');
    expect(codes(asset).sort()).toEqual(['hardlink-escape', 'symlink-escape']);
    expect(asset.image.scanErrors.find((e) => e.code === 'symlink-escape')!.message).toContain('/etc/shadow-link -> ../../../../etc/shadow');
    expect(asset.image.contents!.fileCount).toBe(2); // the two symlinks that stay inside
  });

  it('stops a gzip bomb at the decompressed-bytes cap and analyzes no further layers', async () => {
    const bomb = layerFromTar(await tarOf([{ path: 'zeros', content: Buffer.alloc(64 * MiB) }]));
    expect(bomb.blob.length).toBeLessThan(MiB); // > 64:1, the shape of a bomb
    const after = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }]);
    await push('evil/bomb:1', [bomb, after]);
    const cap = 8 * MiB;
    const asset = await scan('evil/bomb:1', { limits: { maxUncompressedBytes: cap } });
    expect(codes(asset)).toEqual(['uncompressed-limit']);
    expect(asset.image.scanErrors[0]!.message).toContain(`${cap}-byte limit`);
    expect(asset.image.contents!.uncompressedBytes).toBeGreaterThan(cap);
    expect(asset.image.contents!.uncompressedBytes).toBeLessThanOrEqual(cap + 256 * 1024); // stopped within a chunk of the cap
    expect(asset.image.contents!.os).toBeNull(); // the second layer was not read
  });

  it('walks a 100k-file layer, and stops at the file cap when one is set', async () => {
    const entries = Array.from({ length: 100_000 }, (_, i) => ({ path: `data/d${i % 100}/f${i}`, content: '' }));
    const layer = await buildLayer(entries);
    await push('evil/many:1', [layer]);
    const full = await scan('evil/many:1');
    expect(full.image.scanErrors).toEqual([]);
    expect(full.image.contents!.fileCount).toBe(100_000);
    const capped = await scan('evil/many:1', { limits: { maxFiles: 10_000 } });
    expect(codes(capped)).toEqual(['file-limit']);
    expect(capped.image.scanErrors[0]!.message).toContain('more than 10000 entries');
    expect(capped.image.contents!.fileCount).toBe(10_000);
  });

  it('reports a truncated layer blob as truncated', async () => {
    const good = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }, { path: 'big', content: Buffer.from('y'.repeat(200_000)) }]);
    const cut = good.blob.subarray(0, Math.floor(good.blob.length / 2));
    const truncated: BuiltLayer = { ...good, blob: cut, digest: (await import('./support/layers.ts')).sha256(cut) };
    await push('evil/truncated:1', [truncated]);
    const asset = await scan('evil/truncated:1');
    expect(codes(asset)).toEqual(['layer-truncated']);
    expect(asset.image.scanErrors[0]!.message).toContain(truncated.digest);
  });

  it('detects a blob whose content no longer matches its digest (tampered storage)', async () => {
    const layer = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }]);
    await push('evil/tampered:1', [layer]);
    // Change the gzip header's MTIME bytes: still a valid gzip stream, but different bytes.
    const file = registry.blobPath(layer.digest);
    const bytes = await readFile(file);
    bytes[4] = bytes[4]! ^ 0xff;
    await writeFile(file, bytes);
    const asset = await scan('evil/tampered:1');
    expect(codes(asset)).toEqual(['digest-mismatch']);
    expect(asset.image.scanErrors[0]!.message).toContain(`expected ${layer.digest}`);
  });

  it('refuses an oversized manifest and too many layers by the configured caps', async () => {
    const digest = await push('shop/api:1', (await debianSpec()).layers);
    const big = await scan(`shop/api@${digest}`, { limits: { maxManifestBytes: 200 } });
    expect(codes(big)).toEqual(['manifest-too-large']);
    expect(big.image.contents).toBeNull();
    const many = await scan('shop/api:1', { limits: { maxLayers: 2 } });
    expect(codes(many)).toEqual(['too-many-layers']);
    expect(many.image.contents).toBeNull();
  });

  it('gives up on a stalled layer download at the idle timeout instead of hanging', async () => {
    const digest = await push('slow/api:1', [await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\n' }])]);
    const manifest = JSON.parse(await crane('manifest', `${registry.host}/slow/api@${digest}`)) as { layers: { digest: string }[] };
    const layerDigest = manifest.layers[0]!.digest;
    const proxy = await startFaultProxy(registry, { stall: (p) => p.endsWith(`/blobs/${layerDigest}`) });
    try {
      const assets = await collectRegistryImage(`oci://${proxy.host}/slow/api:1`, {
        ...opts,
        insecureHosts: [proxy.host],
        credentialProviders: [staticCredentials(proxy.host, { kind: 'basic', username: 'ci', password: 'ci-secret' })],
        timeouts: { bodyIdleMs: 300 },
      });
      expect(assets[0]!.image.scanErrors.map((e) => e.code)).toEqual(['timeout']);
      expect(assets[0]!.image.contents!.os).toBeNull();
    } finally {
      await proxy.stop();
    }
  });

  it('still scans a good image normally after all of the above, in the same process', async () => {
    await push('shop/api:2', (await debianSpec()).layers);
    const asset = await scan('shop/api:2');
    expect(asset.image.scanErrors).toEqual([]);
    expect(asset.image.contents!.os?.id).toBe('debian');
  });
});
