// Writes samples/images/ledgerly-api/: a small OCI image layout for the demo, built from layers made here (no
// third-party bytes). "ledgerly-api" is fictional and deliberately careless: it runs as root, has no
// healthcheck, exposes 22/tcp, ships a setuid helper outside the allow-list, keeps apt/dpkg, and its
// build copied AWS credentials into one layer and deleted them in the next (still extractable).
// Deterministic (fixed mtimes and timestamps), so re-running rewrites identical bytes.
import { resolve } from 'node:path';
import { buildLayer } from '../test/oci/support/layers.ts';
import { writeLayout } from '../test/oci/support/layout-writer.ts';

export const sampleImageDir = resolve(import.meta.dirname, '../samples/images/ledgerly-api');

// Shaped like real keys so the scanner fires; not valid anywhere.
const fakeKeyId = 'AKIAFAKEEXAMPLE00001';
const fakeSecret = 'fAkE0sEcReT0kEy0fOr0dEmO0oNlY0nOtReAl000';

// Versions from before two real Debian security advisories (samples/osv: DSA-5514-1 for glibc, DSA-5532-1
// for openssl), so the demo shows vulnerabilities with their fixed versions.
const dpkgStatus = [
  ['base-files', '12.4+deb12u8'],
  ['libc6', '2.36-9+deb12u1', 'glibc'],
  ['libssl3', '3.0.11-1~deb12u1', 'openssl'],
  ['openssl', '3.0.11-1~deb12u1'],
  ['bash', '5.2.15-2+b7'],
  ['dpkg', '1.21.22'],
  ['apt', '2.6.1'],
  ['nodejs', '18.19.0+dfsg-6~deb12u2'],
]
  .map(([name, version, source]) => `Package: ${name}\nStatus: install ok installed\nPriority: optional\n${source ? `Source: ${source}\n` : ''}Version: ${version}\nArchitecture: amd64\n`)
  .join('\n');

export async function makeSampleImage(dir = sampleImageDir): Promise<string> {
  const base = await buildLayer([
    { path: 'etc/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n' },
    { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/bash\nledgerly:x:1001:1001::/srv/ledgerly:/usr/sbin/nologin\n' },
    { path: 'bin/bash', content: '#!fictional bash\n', mode: 0o755 },
    { path: 'bin/sh', type: 'symlink', target: 'bash' },
    { path: 'usr/bin/apt', content: '#!fictional apt\n', mode: 0o755 },
    { path: 'usr/bin/apt-get', content: '#!fictional apt-get\n', mode: 0o755 },
    { path: 'usr/bin/dpkg', content: '#!fictional dpkg\n', mode: 0o755 },
    { path: 'usr/bin/passwd', content: '#!fictional passwd\n', mode: 0o4755 },
    { path: 'usr/local/bin/backup-helper', content: '#!fictional setuid helper\n', mode: 0o4755 },
    { path: 'tmp/', type: 'dir', mode: 0o1777 },
    { path: 'var/lib/dpkg/status', content: dpkgStatus },
  ]);
  const app = await buildLayer([
    { path: 'srv/ledgerly/server.js', content: 'require("http").createServer((q, r) => r.end("ok")).listen(8443);\n' },
    { path: 'srv/ledgerly/.aws/credentials', content: `[default]\naws_access_key_id = ${fakeKeyId}\naws_secret_access_key = ${fakeSecret}\n`, mode: 0o600 },
  ]);
  const cleanup = await buildLayer([{ path: 'srv/ledgerly/.aws/.wh.credentials', content: '' }]);
  const image = await writeLayout(
    dir,
    {
      layers: [base, app, cleanup],
      config: {
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NODE_ENV=production'],
        ExposedPorts: { '22/tcp': {}, '8443/tcp': {} },
        Labels: { 'org.opencontainers.image.title': 'ledgerly-api', 'org.opencontainers.image.vendor': 'Ledgerly (fictional)', 'data-classification': 'pii' },
        Entrypoint: ['/usr/bin/node'],
        Cmd: ['/srv/ledgerly/server.js'],
      },
      created: '2025-01-15T09:30:00Z',
      history: [
        { created_by: 'ADD rootfs.tar /' },
        { created_by: 'RUN curl -fsSL https://deb.nodesource.example/setup | sh && COPY . /srv/ledgerly' },
        { created_by: 'RUN rm /srv/ledgerly/.aws/credentials' },
        { created_by: 'EXPOSE 22/tcp 8443/tcp', empty_layer: true },
      ],
    },
    'ledgerly-api-1.4.2',
  );
  return image.manifestDigest;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const digest = await makeSampleImage();
  process.stdout.write(`sample image written to ${sampleImageDir} (${digest})\n`);
}
