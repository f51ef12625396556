// Pulls images that crane pushed to a real distribution registry behind htpasswd basic auth, and checks
// what a user would see in the asset: identity, config fields and the analyzed final filesystem.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAsset } from '../../core/asset.ts';
import { collectRegistryImage, RegistryError, staticCredentials, type CollectOptions } from '../../providers/oci/index.ts';
import { craneFor, type Crane } from './support/crane.ts';
import { alpineSpec, debianSpec, fakeAwsKeyId } from './support/fixtures.ts';
import { buildLayer } from './support/layers.ts';
import { writeLayout, writeMultiPlatformLayout } from './support/layout-writer.ts';
import { startRegistry, type RunningRegistry } from './support/registry-server.ts';

let registry: RunningRegistry;
let crane: Crane;
let work: string;
let opts: CollectOptions;
let multiDigests: { amd64: string; arm64: string };

beforeAll(async () => {
  registry = await startRegistry({ kind: 'htpasswd', users: { pusher: 'push-secret', reader: 'read-secret' } });
  crane = await craneFor(registry.host, 'pusher', 'push-secret');
  work = await mkdtemp(join(tmpdir(), 'posture-oci-basic-'));
  opts = { insecureHosts: [registry.host], credentialProviders: [staticCredentials(registry.host, { kind: 'basic', username: 'reader', password: 'read-secret' })], maxRetries: 1 };

  await writeLayout(join(work, 'debian'), await debianSpec());
  await crane('push', join(work, 'debian'), `${registry.host}/shop/api:1.0`);
  await writeLayout(join(work, 'alpine'), await alpineSpec());
  await crane('push', join(work, 'alpine'), `${registry.host}/base/alpine:3.20`);
  const [amd, arm] = await writeMultiPlatformLayout(join(work, 'multi'), [await alpineSpec('amd64'), await alpineSpec('arm64')]);
  multiDigests = { amd64: amd!.manifestDigest, arm64: arm!.manifestDigest };
  await crane('push', '--index', join(work, 'multi'), `${registry.host}/base/multi:latest`);
  // A Docker schema2 image made entirely by crane (empty base + appended layer + mutated config).
  const layer = await buildLayer([{ path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="11"\n' }, { path: 'usr/sbin/sshd', content: 'sshd', mode: 0o755 }]);
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(work, 'layer.tar.gz'), layer.blob);
  await crane('append', '-f', join(work, 'layer.tar.gz'), '-t', `${registry.host}/legacy/ssh:v1`);
  await crane('mutate', `${registry.host}/legacy/ssh:v1`, '--user', 'root', '--exposed-ports', '22/tcp', '-t', `${registry.host}/legacy/ssh:v1`);
});

afterAll(async () => {
  await registry?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('registry with basic auth', () => {
  it('reads a Debian-like image by tag: identity, config and the final filesystem after whiteouts', async () => {
    const [asset, ...rest] = await collectRegistryImage(`oci://${registry.host}/shop/api:1.0`, opts);
    expect(rest).toHaveLength(0);
    expect(() => parseAsset(asset)).not.toThrow();
    const digest = await crane('digest', `${registry.host}/shop/api:1.0`);
    expect(asset!.id).toBe(`oci://${registry.host}/shop/api@${digest}`);
    expect(asset!).toMatchObject({ kind: 'image', provider: 'oci', account: registry.host, region: '', jurisdiction: 'UNKNOWN', rawForm: 'oci' });
    expect(Object.keys(asset!.raw).sort()).toEqual(['config', 'manifest']);
    const image = asset!.image;
    expect(image.reference).toEqual({ registry: registry.host, repository: 'shop/api', tag: '1.0', digest });
    expect(image.scanErrors).toEqual([]);
    expect(image.platform).toEqual({ os: 'linux', architecture: 'amd64', variant: null });
    expect(image.config).toMatchObject({
      user: '',
      exposedPorts: ['22/tcp', '8080/tcp'],
      healthcheck: null,
      entrypoint: ['/usr/bin/node'],
      created: '2023-05-01T10:00:00Z',
    });
    expect(image.config.env).toContainEqual({ name: 'DB_PASSWORD', value: 'hunter2' });
    expect(image.config.history[1]!.createdBy).toContain('curl -fsSL');
    expect(image.layers).toHaveLength(3);

    const c = image.contents!;
    expect(c.os).toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    // The status file sits in the first layer; os-release says Debian 12, so OSV's `Debian:12`.
    const fromStatus = { manager: 'dpkg', ecosystem: 'Debian:12', layer: 0, layerDigest: image.layers[0]!.digest, path: '/var/lib/dpkg/status' };
    expect(c.packages).toEqual([
      { ...fromStatus, name: 'base-files', version: '12.4+deb12u5', arch: 'amd64', purl: 'pkg:deb/debian/base-files@12.4+deb12u5?arch=amd64&distro=debian-12', source: { name: 'base-files', version: '12.4+deb12u5' } },
      { ...fromStatus, name: 'libc6', version: '2.36-9+deb12u7', arch: 'amd64', purl: 'pkg:deb/debian/libc6@2.36-9+deb12u7?arch=amd64&distro=debian-12', source: { name: 'libc6', version: '2.36-9+deb12u7' } },
      { ...fromStatus, name: 'apt', version: '2.6.1', purl: 'pkg:deb/debian/apt@2.6.1?distro=debian-12', source: { name: 'apt', version: '2.6.1' } },
    ]);
    expect(c.users.filter((u) => u.uid === 0).map((u) => u.name)).toEqual(['root', 'toor']);
    expect(c.setuidFiles.map((f) => f.path).sort()).toEqual(['/usr/bin/newgrp', '/usr/bin/passwd', '/usr/bin/wall']);
    expect(c.setuidFiles.find((f) => f.path === '/usr/bin/newgrp')!.mode).toBe(0o4755);
    // /tmp is sticky and left out; the opaque marker hid old.bin but the 0777 dir itself stays.
    expect(c.worldWritable.map((f) => f.path).sort()).toEqual(['/etc/app.conf', '/var/cache/app']);
    expect(c.shells).toEqual(['/bin/bash', '/bin/sh']);
    expect(c.packageManagers).toEqual(['/usr/bin/dpkg']); // apt was whited out by the last layer
    // The .env deleted by a later layer is still in the image, so still reported, marked as such.
    const aws = c.secrets.find((s) => s.rule === 'aws-access-key-id')!;
    expect(aws).toMatchObject({ path: '/app/.env', layer: 1, inFinalFilesystem: false });
    expect(aws.hint).toBe('AKIA…(20 chars)');
    expect(JSON.stringify(asset!.image.contents)).not.toContain(fakeAwsKeyId);
    expect(c.secrets.find((s) => s.rule === 'private-key')).toMatchObject({ path: '/app/id_rsa', inFinalFilesystem: true, hint: '-----BEGIN RSA PRIVATE KEY-----' });
    expect(c.uncompressedBytes).toBeGreaterThan(0);
    expect(c.fileCount).toBeGreaterThan(10);
  });

  it('pins the same asset when asked by digest', async () => {
    const digest = await crane('digest', `${registry.host}/shop/api:1.0`);
    const [asset] = await collectRegistryImage(`oci://${registry.host}/shop/api@${digest}`, opts);
    expect(asset!.id).toBe(`oci://${registry.host}/shop/api@${digest}`);
    expect(asset!.image.reference.tag).toBeNull();
  });

  it('reads an Alpine-like image: apk database, busybox shell, non-root user, healthcheck', async () => {
    const [asset] = await collectRegistryImage(`${registry.host}/base/alpine:3.20`, opts);
    const image = asset!.image;
    expect(image.config.user).toBe('65534');
    expect(image.config.healthcheck).toEqual(['CMD', '/bin/true']);
    expect(image.contents!.os?.id).toBe('alpine');
    expect(image.contents!.packages.map((p) => `${p.manager}:${p.name}@${p.version}`)).toEqual(['apk:musl@1.2.5-r0', 'apk:busybox@1.36.1-r29', 'apk:apk-tools@2.14.4-r1']);
    expect(image.contents!.packages[0]).toMatchObject({ arch: 'x86_64', source: { name: 'musl', version: '1.2.5-r0' }, path: '/lib/apk/db/installed' });
    expect(image.contents!.shells).toEqual(['/bin/busybox', '/bin/sh']);
    expect(image.contents!.packageManagers).toEqual(['/sbin/apk']);
  });

  it('picks linux/amd64 from a multi-arch index by default, another platform on request, or all of them', async () => {
    const ref = `oci://${registry.host}/base/multi:latest`;
    const indexDigest = await crane('digest', ref.slice(6));
    const [amd] = await collectRegistryImage(ref, opts);
    expect(amd!.id).toBe(`oci://${registry.host}/base/multi@${multiDigests.amd64}`);
    expect(amd!.image.reference.digest).toBe(indexDigest);
    expect(amd!.raw.index).toMatchObject({ manifests: [{}, {}] });

    const [arm] = await collectRegistryImage(ref, { ...opts, platform: 'linux/arm64/v8' });
    expect(arm!.image.digest).toBe(multiDigests.arm64);
    expect(arm!.image.platform).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });

    const all = await collectRegistryImage(ref, { ...opts, allPlatforms: true });
    expect(all.map((a) => a.image.platform.architecture).sort()).toEqual(['amd64', 'arm64']);

    const [missing] = await collectRegistryImage(ref, { ...opts, platform: 'linux/s390x' });
    expect(missing!.image.contents).toBeNull();
    expect(missing!.image.scanErrors[0]).toMatchObject({ code: 'platform-not-found' });
    expect(missing!.image.scanErrors[0]!.message).toContain('offered: linux/amd64, linux/arm64/v8');
  });

  it('reads a Docker schema2 image built and mutated by crane', async () => {
    const [asset] = await collectRegistryImage(`oci://${registry.host}/legacy/ssh:v1`, opts);
    expect(asset!.image.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(asset!.image.config.user).toBe('root');
    expect(asset!.image.config.exposedPorts).toEqual(['22/tcp']);
    expect(asset!.image.contents!.os).toMatchObject({ id: 'debian', versionId: '11' });
    expect(asset!.image.scanErrors).toEqual([]);
  });

  it('reads manifest and config only when layer analysis is off', async () => {
    const [asset] = await collectRegistryImage(`oci://${registry.host}/shop/api:1.0`, { ...opts, analyzeLayers: false });
    expect(asset!.image.contents).toBeNull();
    expect(asset!.image.config.exposedPorts).toContain('22/tcp');
  });

  it('fails with a named error for wrong credentials, no credentials and a missing tag', async () => {
    const wrong = { ...opts, credentialProviders: [staticCredentials(registry.host, { kind: 'basic', username: 'reader', password: 'nope' })] };
    await expect(collectRegistryImage(`oci://${registry.host}/shop/api:1.0`, wrong)).rejects.toMatchObject({ code: 'registry-unauthorized', status: 401 });
    const anonymous = { ...opts, credentialProviders: [] };
    await expect(collectRegistryImage(`oci://${registry.host}/shop/api:1.0`, anonymous)).rejects.toThrow(/Basic auth and no username\/password is configured/);
    const err = await collectRegistryImage(`oci://${registry.host}/shop/api:nope`, opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({ code: 'registry-not-found', status: 404 });
    expect((err as Error).message).toContain(`${registry.host}/shop/api:nope`);
  });

  it('rejects malformed references with a message naming the reference', async () => {
    await expect(collectRegistryImage('oci://no-repo', opts)).rejects.toThrow(/"oci:\/\/no-repo" is invalid/);
    await expect(collectRegistryImage(`oci://${registry.host}/Shop/API:1`, opts)).rejects.toThrow(/not a valid repository name/);
  });
});
