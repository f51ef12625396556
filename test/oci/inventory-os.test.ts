// OS package inventory on real package databases: this machine's own dpkg status file (written by dpkg)
// and per-package status.d files as distroless images carry them. Expected values come from dpkg-query
// reading the same database, never from our parser.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { PackageURL } from 'packageurl-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { stanzas } from '../../providers/oci/analyzers/control-fields.ts';
import { analyzeEntries } from './support/analyze.ts';

const run = promisify(execFile);
const osRelease = { path: 'etc/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' };

interface Expected {
  name: string;
  version: string;
  source: { name: string; version: string };
  arch: string;
}

let status: string;
let installed: Expected[];

beforeAll(async () => {
  status = await readFile('/var/lib/dpkg/status', 'utf8');
  const { stdout } = await run('dpkg-query', ['--admindir=/var/lib/dpkg', '-W', '-f=${db:Status-Status}\\t${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\t${Architecture}\\n'], { maxBuffer: 64 << 20 });
  installed = stdout
    .trim()
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f[0] === 'installed')
    .map(([, name, version, sName, sVersion, arch]) => ({ name: name!, version: version!, source: { name: sName!, version: sVersion! }, arch: arch! }));
});

describe('dpkg on a real status file', () => {
  it('lists exactly the installed packages dpkg-query lists, with source package and architecture', async () => {
    const { contents, errors } = await analyzeEntries([[osRelease, { path: 'var/lib/dpkg/status', content: status }]]);
    expect(errors).toEqual([]);
    const got = contents.packages.map((p) => ({ name: p.name, version: p.version, source: p.source, arch: p.arch }));
    const key = (p: { name: string; arch: string }): string => `${p.name}:${p.arch}`;
    expect(got.sort((a, b) => key(a as Expected).localeCompare(key(b as Expected)))).toEqual([...installed].sort((a, b) => key(a).localeCompare(key(b))));
    expect(installed.length).toBeGreaterThan(100);
    for (const p of contents.packages) {
      expect(p).toMatchObject({ manager: 'dpkg', ecosystem: 'Debian:12', layer: 0, path: '/var/lib/dpkg/status' });
      const purl = PackageURL.fromString(p.purl);
      expect({ type: purl.type, namespace: purl.namespace, name: purl.name, version: purl.version, q: purl.qualifiers }).toEqual({ type: 'deb', namespace: 'debian', name: p.name, version: p.version, q: { arch: p.arch, distro: 'debian-12' } });
    }
  });

  it('credits each package to the layer that installed it, and a later upgrade to its own layer', async () => {
    // A base layer with part of the database; the next layer is what `apt-get install` leaves: the full file.
    const paragraphs = status.split(/\n\n+/).filter(Boolean);
    const base = paragraphs.slice(0, 200);
    const baseNames = new Set(base.map((p) => [...stanzas(p)][0]?.get('Package')));
    const { contents, layers } = await analyzeEntries([
      [osRelease, { path: 'var/lib/dpkg/status', content: `${base.join('\n\n')}\n` }],
      [{ path: 'var/lib/dpkg/status', content: status }],
    ]);
    expect(contents.packages.length).toBe(installed.length);
    for (const p of contents.packages) {
      const layer = baseNames.has(p.name) ? 0 : 1;
      expect({ name: p.name, layer: p.layer, layerDigest: p.layerDigest }).toEqual({ name: p.name, layer, layerDigest: layers[layer]!.digest });
    }
  });

  it('reads distroless status.d files, one package each, whatever their Status', async () => {
    const names = installed.slice(0, 5).map((p) => p.name);
    const files = await Promise.all(names.map(async (n) => ({ path: `var/lib/dpkg/status.d/${n}`, content: (await run('dpkg-query', ['-s', n])).stdout })));
    const md5 = { path: `var/lib/dpkg/status.d/${names[0]}.md5sums`, content: 'd41d8cd98f00b204e9800998ecf8427e  usr/bin/x\n' };
    const { contents } = await analyzeEntries([[osRelease, ...files, md5]]);
    expect(contents.packages.map((p) => p.name).sort()).toEqual([...names].sort());
    expect(contents.packages.find((p) => p.name === names[0])!.path).toBe(`/var/lib/dpkg/status.d/${names[0]}`);
  });

  it('forgets packages whose database a later layer deleted', async () => {
    const { contents } = await analyzeEntries([[osRelease, { path: 'var/lib/dpkg/status', content: status }], [{ path: 'var/lib/dpkg/.wh.status', content: '' }]]);
    expect(contents.packages).toEqual([]);
  });
});

describe('apk', () => {
  // The installed-database format of apk-tools (one letter per field); no apk-tools for this machine's
  // distribution, so the record is written from the format's documentation: P name, V version, A arch, o origin.
  it('reads name, version, architecture and origin', async () => {
    const db = 'C:Q1+abc=\nP:libcrypto3\nV:3.3.2-r0\nA:x86_64\nS:1\nI:2\nT:Crypto library from openssl\no:openssl\nm:Natanael Copa\n\nP:musl\nV:1.2.5-r0\nA:x86_64\n';
    const { contents } = await analyzeEntries([[{ path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.20.3\n' }, { path: 'lib/apk/db/installed', content: db }]]);
    expect(contents.packages).toEqual([
      expect.objectContaining({ name: 'libcrypto3', version: '3.3.2-r0', arch: 'x86_64', source: { name: 'openssl', version: '3.3.2-r0' }, ecosystem: 'Alpine:v3.20', purl: 'pkg:apk/alpine/libcrypto3@3.3.2-r0?arch=x86_64&distro=alpine-3.20.3' }),
      expect.objectContaining({ name: 'musl', source: { name: 'musl', version: '1.2.5-r0' } }),
    ]);
  });
});
