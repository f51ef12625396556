// Fictional filesystems for the tests: a Debian-like app image (with secrets, setuid files, a deleted
// key and an opaque directory) and an Alpine-like one. Every byte is written here.
import { buildLayer, type BuiltLayer } from './layers.ts';
import type { ImageSpec } from './layout-writer.ts';

// Fake, documentation-style credentials: they only need the right shape.
export const fakeAwsKeyId = 'AKIAZZZZEXAMPLE12345';
export const fakePrivateKey = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAfakefakefakefake\n-----END RSA PRIVATE KEY-----\n';

export const dpkgStatus = [
  'Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\nArchitecture: amd64\n',
  'Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u7\nArchitecture: amd64\nDescription: GNU C Library\n multi-line description\n',
  'Package: openssh-client\nStatus: deinstall ok config-files\nVersion: 1:9.2p1-2\n',
  'Package: apt\nStatus: install ok installed\nVersion: 2.6.1\n',
].join('\n');

export async function debianLayers(): Promise<BuiltLayer[]> {
  const base = await buildLayer([
    { path: 'etc/', type: 'dir' },
    { path: 'etc/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n' },
    { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\ntoor:x:0:0::/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/bash\n' },
    { path: 'etc/app.conf', content: 'listen=0.0.0.0\n', mode: 0o666 },
    { path: 'bin/bash', content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]), mode: 0o755 },
    { path: 'bin/sh', type: 'symlink', target: 'bash' },
    { path: 'usr/bin/apt', content: 'apt', mode: 0o755 },
    { path: 'usr/bin/dpkg', content: 'dpkg', mode: 0o755 },
    { path: 'usr/bin/passwd', content: 'passwd', mode: 0o4755 },
    { path: 'usr/bin/newgrp', content: 'newgrp', mode: 0o4755 },
    { path: 'usr/bin/wall', content: 'wall', mode: 0o2755 },
    { path: 'tmp/', type: 'dir', mode: 0o1777 },
    { path: 'var/cache/app/', type: 'dir', mode: 0o777 },
    { path: 'var/cache/app/old.bin', content: 'stale' },
    { path: 'var/lib/dpkg/status', content: dpkgStatus },
  ]);
  const app = await buildLayer([
    { path: 'app/.env', content: `AWS_ACCESS_KEY_ID=${fakeAwsKeyId}\nDEBUG=1\n` },
    { path: 'app/id_rsa', content: fakePrivateKey, mode: 0o600 },
    { path: 'app/server.js', content: 'console.log("hi")\n' },
  ]);
  const cleanup = await buildLayer([
    { path: 'app/.wh..env', content: '' },
    { path: 'usr/bin/.wh.apt', content: '' },
    { path: 'var/cache/app/.wh..wh..opq', content: '' },
    { path: 'var/cache/app/new.bin', content: 'fresh' },
  ]);
  return [base, app, cleanup];
}

export async function debianSpec(): Promise<ImageSpec> {
  return {
    layers: await debianLayers(),
    config: {
      Env: ['PATH=/usr/local/bin:/usr/bin:/bin', 'DB_PASSWORD=hunter2'],
      ExposedPorts: { '22/tcp': {}, '8080/tcp': {} },
      Labels: { 'org.opencontainers.image.source': 'https://example.invalid/shop' },
      Entrypoint: ['/usr/bin/node'],
      Cmd: ['/app/server.js'],
    },
    created: '2023-05-01T10:00:00Z',
    history: [{ created_by: '/bin/sh -c #(nop) ADD file:base in /' }, { created_by: 'RUN curl -fsSL https://get.example.invalid | sh' }, { created_by: 'RUN rm /app/.env' }],
  };
}

export async function alpineLayers(arch = 'x86_64'): Promise<BuiltLayer[]> {
  return [
    await buildLayer([
      { path: 'etc/os-release', content: `NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n` },
      { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' },
      { path: 'bin/busybox', content: `busybox-${arch}`, mode: 0o755 },
      { path: 'bin/sh', type: 'symlink', target: '/bin/busybox' },
      { path: 'sbin/apk', content: 'apk', mode: 0o755 },
      { path: 'lib/apk/db/installed', content: `C:Q1abc=\nP:musl\nV:1.2.5-r0\nA:${arch}\n\nP:busybox\nV:1.36.1-r29\nA:${arch}\n\nP:apk-tools\nV:2.14.4-r1\nA:${arch}\n` },
    ]),
  ];
}

export async function alpineSpec(arch: 'amd64' | 'arm64' = 'amd64'): Promise<ImageSpec> {
  return {
    layers: await alpineLayers(arch === 'amd64' ? 'x86_64' : 'aarch64'),
    platform: { os: 'linux', architecture: arch, ...(arch === 'arm64' ? { variant: 'v8' } : {}) },
    config: { User: '65534', Healthcheck: { Test: ['CMD', '/bin/true'] }, Cmd: ['/bin/sh'] },
  };
}
