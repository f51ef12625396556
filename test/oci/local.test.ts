// Local image inputs: an OCI layout directory, OCI archives (plain and gzipped, made by GNU tar), and
// docker-save tarballs in both formats crane writes (crane pulls them from a real registry).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsset, type ImageAsset } from '../../core/asset.ts';
import { collectLocalImage, looksLikeLocalImage } from '../../providers/oci/index.ts';
import { craneFor } from './support/crane.ts';
import { alpineSpec, debianSpec } from './support/fixtures.ts';
import { writeLayout, writeMultiPlatformLayout, type WrittenImage } from './support/layout-writer.ts';
import { startRegistry, type RunningRegistry } from './support/registry-server.ts';

const run = promisify(execFile);
let work: string;
let registry: RunningRegistry;
let debian: WrittenImage;

function expectDebianContents(asset: ImageAsset): void {
  const c = asset.image.contents!;
  expect(asset.image.scanErrors).toEqual([]);
  expect(c.os?.id).toBe('debian');
  expect(c.packages.map((p) => p.name)).toEqual(['base-files', 'libc6', 'apt']);
  expect(c.secrets.map((s) => [s.path, s.rule, s.inFinalFilesystem])).toEqual([
    ['/app/.env', 'aws-access-key-id', false],
    ['/app/id_rsa', 'private-key', true],
  ]);
  expect(c.packageManagers).toEqual(['/usr/bin/dpkg']);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'posture-oci-local-'));
  debian = await writeLayout(join(work, 'shop-api'), await debianSpec(), '1.0');
  registry = await startRegistry({ kind: 'none' });
  const crane = await craneFor(registry.host);
  await crane('push', join(work, 'shop-api'), `${registry.host}/shop/api:1.0`);
  await crane('pull', '--format', 'tarball', `${registry.host}/shop/api:1.0`, join(work, 'docker-save.tar'));
  await crane('pull', '--format', 'legacy', `${registry.host}/shop/api:1.0`, join(work, 'docker-save-legacy.tar'));
  await run('tar', ['-cf', join(work, 'oci-archive.tar'), '-C', join(work, 'shop-api'), '.']);
  await run('sh', ['-c', `gzip -c '${join(work, 'oci-archive.tar')}' > '${join(work, 'oci-archive.tar.gz')}'`]);
});

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('local images', () => {
  it('reads an OCI layout directory into an oci://local asset named after it', async () => {
    const [asset] = await collectLocalImage(join(work, 'shop-api'));
    expect(() => parseAsset(asset)).not.toThrow();
    expect(asset!.id).toBe(`oci://local/shop-api@${debian.manifestDigest}`);
    expect(asset!).toMatchObject({ account: 'local', region: '', jurisdiction: 'UNKNOWN', rawForm: 'oci', source: join(work, 'shop-api') });
    expect(asset!.image.reference).toMatchObject({ registry: 'local', repository: 'shop-api', tag: '1.0' });
    expectDebianContents(asset!);
  });

  it('reads OCI archives, plain and gzipped', async () => {
    for (const file of ['oci-archive.tar', 'oci-archive.tar.gz']) {
      const [asset] = await collectLocalImage(join(work, file));
      expect(asset!.image.digest).toBe(debian.manifestDigest);
      expectDebianContents(asset!);
    }
  });

  it('reads docker-save tarballs (crane "tarball" with gzipped layers, and "legacy" with layer.tar files)', async () => {
    for (const file of ['docker-save.tar', 'docker-save-legacy.tar']) {
      const [asset] = await collectLocalImage(join(work, file));
      expect(() => parseAsset(asset)).not.toThrow();
      // Named after its RepoTags entry; the id digest is the config digest (what `docker images` calls the image ID).
      expect(asset!.id).toBe(`oci://local/${registry.host.replace(':', '-')}/shop/api@${debian.configDigest}`);
      expect(asset!.image.reference.tag).toBe('1.0');
      expect(asset!.image.config.exposedPorts).toEqual(['22/tcp', '8080/tcp']);
      expectDebianContents(asset!);
    }
  });

  it('picks linux/amd64 from a multi-platform layout unless told otherwise', async () => {
    const [amd, arm] = await writeMultiPlatformLayout(join(work, 'multi'), [await alpineSpec('amd64'), await alpineSpec('arm64')]);
    const [a] = await collectLocalImage(join(work, 'multi'));
    expect(a!.image.digest).toBe(amd!.manifestDigest);
    const [b] = await collectLocalImage(join(work, 'multi'), { platform: 'linux/arm64' });
    expect(b!.image.digest).toBe(arm!.manifestDigest);
    expect(b!.image.contents!.packages.map((p) => p.name)).toContain('busybox');
  });

  it('tells image inputs from other files by shape', async () => {
    await writeFile(join(work, 'cluster.json'), '{"cluster":{}}');
    await run('tar', ['-cf', join(work, 'random.tar'), '-C', work, 'cluster.json']);
    expect(await looksLikeLocalImage(join(work, 'shop-api'))).toBe(true);
    expect(await looksLikeLocalImage(join(work, 'docker-save.tar'))).toBe(true);
    expect(await looksLikeLocalImage(join(work, 'oci-archive.tar.gz'))).toBe(true);
    expect(await looksLikeLocalImage(join(work, 'cluster.json'))).toBe(false);
    // The shape test is a cheap look at the first bytes; a tar that is not an image is told apart when read.
    expect(await looksLikeLocalImage(join(work, 'missing'))).toBe(false);
    await expect(collectLocalImage(join(work, 'random.tar'))).rejects.toThrow(/random\.tar: not a container image: neither an OCI image layout .* nor a docker save archive/);
  });

  it('reports a tampered or missing layer blob in a layout as a scan error on the asset', async () => {
    const spec = await debianSpec();
    const dir = join(work, 'tampered');
    await writeLayout(dir, spec);
    const blob = join(dir, 'blobs/sha256', spec.layers[1]!.digest.slice(7));
    const bytes = await readFile(blob);
    bytes[5] = bytes[5]! ^ 0xff; // gzip MTIME: still valid gzip, different digest
    await writeFile(blob, bytes);
    await rm(join(dir, 'blobs/sha256', spec.layers[2]!.digest.slice(7)));
    const [asset] = await collectLocalImage(dir);
    expect(asset!.image.scanErrors.map((e) => e.code)).toEqual(['digest-mismatch', 'local-layout-invalid']);
    expect(asset!.image.scanErrors[1]!.message).toContain(`${spec.layers[2]!.digest.slice(7)} is missing`);
    // The base layer was still read: partial results, flagged as partial.
    expect(asset!.image.contents!.os?.id).toBe('debian');
  });
});
