// Large package files (binaries, Java archives, RPM databases) are read from a private temporary copy by
// position instead of being held in memory. With the spooling threshold at 0 every candidate takes that path,
// and the packages found must be those the tools themselves list (`go version -m`, Cargo.lock, the Maven
// coordinates, `rpm -qa`). The hostile cases: the temporary-space budget spent, a layer cut short in the
// middle of a large file, a stream that fails mid-file, and a temporary copy that changes under its reader.
// After every analysis, nothing is left in the temporary directory.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyzeLayers, type LayerInput } from '../../providers/oci/analysis/analyze-layers.ts';
import { ScanErrorLog } from '../../providers/oci/analysis/scan-error-log.ts';
import { TempSpace } from '../../providers/oci/analysis/temp-space.ts';
import { bufferSource, stanzaBlocks } from '../../providers/oci/analyzers/byte-source.ts';
import { parseDpkgStatus } from '../../providers/oci/analyzers/dpkg.ts';
import { goBinaryAnalyzer } from '../../providers/oci/analyzers/go-binary.ts';
import { resolveLimits } from '../../providers/oci/limits.ts';
import { analyzeEntries } from './support/analyze.ts';
import { fixture } from './support/inventory-fixtures.ts';
import { expectJavaArchivePackages, javaArchiveEntries } from './support/java-archives.ts';
import { buildLayer, type BuiltLayer } from './support/layers.ts';

const run = promisify(execFile);
const spoolAll = { spoolFileBytes: 0 };
const ids = (ps: { name: string; version: string }[]): string[] => [...new Set(ps.map((p) => `${p.name}@${p.version}`))].sort();
const debian = { path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };
const rocky = { path: 'etc/os-release', content: 'ID="rocky"\nVERSION_ID="9.4"\n' };
const passwd = { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/bash\n' };

// os.tmpdir() follows TMPDIR, and each test file runs in its own process, so this directory is the scan's alone.
let scratch: string;
const previousTmp = process.env.TMPDIR;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'posture-large-files-'));
  process.env.TMPDIR = scratch;
});
afterAll(async () => {
  process.env.TMPDIR = previousTmp;
  await rm(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  expect(await readdir(scratch)).toEqual([]);
});

async function goModules(bin: string): Promise<string[]> {
  const { stdout } = await run('go', ['version', '-m', bin]);
  const goVersion = stdout.split('\n')[0]!.split(': ')[1]!.trim();
  const deps = stdout
    .split('\n')
    .map((l) => l.trim().split('\t'))
    .filter((f) => f[0] === 'dep')
    .map((f) => ({ name: f[1]!, version: f[2]! }));
  return ids([...deps, { name: 'stdlib', version: `v${goVersion.replace(/^go/, '')}` }]);
}

describe('package files read from a temporary copy', () => {
  it('lists the Go modules `go version -m` prints and the crates Cargo.lock has', async () => {
    const lock = await readFile(fixture('rust/Cargo.lock'), 'utf8');
    const crates = [...lock.matchAll(/\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"\nsource = "registry\+https:\/\/github.com\/rust-lang\/crates.io-index"/g)].map((m) => ({ name: m[1]!, version: m[2]! }));
    const { contents, errors } = await analyzeEntries(
      [[debian, { path: 'usr/local/bin/goapp', content: await readFile(fixture('go/goapp')), mode: 0o755 }, { path: 'usr/local/bin/rsapp', content: await readFile(fixture('rust/rsapp')), mode: 0o755 }]],
      spoolAll,
    );
    expect(errors).toEqual([]);
    expect(ids(contents.packages.filter((p) => p.manager === 'go'))).toEqual(await goModules(fixture('go/goapp')));
    expect(ids(contents.packages.filter((p) => p.manager === 'cargo'))).toEqual(ids(crates));
  });

  it('reads pom.properties of a jar, and of jars nested in a WAR and in a WAR inside an EAR, each nested archive spooled too', async () => {
    const { contents, errors } = await analyzeEntries([await javaArchiveEntries()], spoolAll);
    expect(errors).toEqual([]);
    expectJavaArchivePackages(contents.packages);
  });

  it.each([
    ['SQLite', 'var/lib/rpm/rpmdb.sqlite', 'sqlite/rpmdb.sqlite', 'sqlite'],
    ['Berkeley DB', 'var/lib/rpm/Packages', 'bdb/Packages', 'bdb'],
  ])('reads the %s rpm database as rpm -qa does', async (_label, path, file, exp) => {
    const expected = (await readFile(fixture(`rpm/${exp}.expected`), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => {
        const [name, epoch, version, release] = l.split('\t') as [string, string, string, string];
        return { name, version: `${epoch === '(none)' ? '' : `${epoch}:`}${version}-${release}` };
      });
    const { contents, errors } = await analyzeEntries([[rocky, { path, content: await readFile(fixture(`rpm/${file}`)) }]], spoolAll);
    expect(errors).toEqual([]);
    expect(ids(contents.packages)).toEqual(ids(expected));
  });

  it('lists the installed packages dpkg-query lists from a status file read in blocks, whatever the block size', async () => {
    const status = await readFile('/var/lib/dpkg/status');
    const { stdout } = await run('dpkg-query', ['--admindir=/var/lib/dpkg', '-W', '-f=${db:Status-Status}\\t${Package}:${Architecture}\\n'], { maxBuffer: 64 << 20 });
    const installed = stdout.trim().split('\n').filter((l) => l.startsWith('installed\t')).map((l) => l.slice('installed\t'.length)).sort();
    expect(installed.length).toBeGreaterThan(100);
    const { contents, errors } = await analyzeEntries([[debian, { path: 'var/lib/dpkg/status', content: status }]], spoolAll);
    expect(errors).toEqual([]);
    expect(contents.packages.map((p) => `${p.name}:${p.arch}`).sort()).toEqual(installed);
    for (const block of [1, 97, 4096]) {
      const parsed = [...stanzaBlocks(bufferSource(status), block)].flatMap((text) => parseDpkgStatus(text, true));
      expect(parsed.map((p) => `${p.name}:${p.arch}`).sort()).toEqual(installed);
    }
  });

  it('refuses a stanza longer than its cap instead of growing a block without end', () => {
    expect(() => [...stanzaBlocks(bufferSource(Buffer.alloc(1000, 'a')), 10, 100)]).toThrow(/stanza longer than 100 bytes/);
  });

  it('makes its files 0600 in a directory of its own (0700), and removes both', async () => {
    const space = new TempSpace(1024, 0);
    const file = space.create(10, 'a file');
    file.write(Buffer.from('0123456789'));
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(file.path, '..'))).mode & 0o777).toBe(0o700);
    expect(file.source().read(2, 3).toString()).toBe('234');
    expect(() => space.create(1015, 'another')).toThrow(/temporary space past its 1024-byte budget/);
    file.remove();
    space.create(1024, 'after removal');
    space.dispose();
  });
});

describe('hostile large files', () => {
  it('reports a file the temporary-space budget cannot take, by name, and keeps the rest of the image', async () => {
    const bin = await readFile(fixture('go/goapp'));
    const { contents, errors } = await analyzeEntries([[debian, passwd, { path: 'usr/local/bin/goapp', content: bin, mode: 0o755 }]], { ...spoolAll, maxTempBytes: bin.length - 1 });
    expect(errors).toEqual([expect.objectContaining({ code: 'temp-space-limit', message: expect.stringContaining('/usr/local/bin/goapp') })]);
    expect(errors[0]!.message).toContain('maxTempBytes');
    expect(contents.packages).toEqual([]);
    expect(contents.users.map((u) => u.name)).toEqual(['root']);
  });

  it('reports a nested archive the temporary space cannot take, naming the outer archive', async () => {
    const ear = await readFile(fixture('java/app.ear'));
    const { contents, errors } = await analyzeEntries([[{ path: 'opt/app.ear', content: ear }]], { ...spoolAll, maxTempBytes: ear.length + 10 });
    expect(errors).toEqual([expect.objectContaining({ code: 'temp-space-limit', message: expect.stringContaining('/opt/app.ear') })]);
    expect(contents.packages).toEqual([]);
  });

  it('reads a passwd larger than the capture cap only up to the cap, and says so', async () => {
    const users = Array.from({ length: 50 }, (_, i) => `user${i}:x:${1000 + i}:${1000 + i}::/home/user${i}:/bin/sh\n`).join('');
    const { contents, errors } = await analyzeEntries([[{ path: 'etc/passwd', content: `root:x:0:0:root:/root:/bin/bash\n${users}` }]], { maxCapturedFileBytes: 100, secretScanBytes: 50 });
    expect(errors).toEqual([expect.objectContaining({ code: 'content-truncated', message: expect.stringContaining('/etc/passwd') })]);
    expect(contents.users.map((u) => u.name)).toContain('root');
    expect(contents.users.length).toBeLessThan(5);
  });

  async function inputs(layers: BuiltLayer[], lastBlob: (blob: Buffer) => Readable): Promise<LayerInput[]> {
    return layers.map((l, i) => ({ digest: l.digest, mediaType: l.mediaType, size: l.blob.length, open: async () => (i === layers.length - 1 ? lastBlob(l.blob) : Readable.from([l.blob])) }));
  }

  it('removes the copy of a large file whose layer ends in its middle, and keeps the layers before', async () => {
    const base = await buildLayer([debian, passwd]);
    const big = await buildLayer([{ path: 'usr/local/bin/goapp', content: await readFile(fixture('go/goapp')), mode: 0o755 }], { gzip: false });
    const errors = new ScanErrorLog();
    const contents = await analyzeLayers(await inputs([base, big], (blob) => Readable.from([blob.subarray(0, 512 + Math.floor((blob.length - 512) / 2))])), resolveLimits(spoolAll), errors);
    expect(errors.list().map((e) => e.code)).toEqual(['layer-truncated']);
    expect(contents.users.map((u) => u.name)).toEqual(['root']);
    expect(contents.packages).toEqual([]);
  });

  it('removes the copy of a large file whose stream fails midway (a connection reset), and keeps the layers before', async () => {
    const base = await buildLayer([debian, passwd]);
    const big = await buildLayer([{ path: 'usr/local/bin/goapp', content: await readFile(fixture('go/goapp')), mode: 0o755 }], { gzip: false });
    const failing = (blob: Buffer): Readable =>
      new Readable({
        read() {
          this.push(blob.subarray(0, Math.floor(blob.length / 2)));
          this.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
        },
      });
    const errors = new ScanErrorLog();
    const contents = await analyzeLayers(await inputs([base, big], failing), resolveLimits(spoolAll), errors);
    expect(errors.list()).toEqual([expect.objectContaining({ message: expect.stringContaining('ECONNRESET') })]);
    expect(contents.users.map((u) => u.name)).toEqual(['root']);
    expect(contents.packages).toEqual([]);
  });

  it('says so when a temporary copy is cut short under its reader, instead of reading what is not there', async () => {
    const bin = await readFile(fixture('go/goapp'));
    const space = new TempSpace(bin.length, 0);
    const file = space.create(bin.length, 'goapp');
    file.write(bin);
    const source = file.source();
    await truncate(file.path, 4096);
    const errors = new ScanErrorLog();
    expect(() => goBinaryAnalyzer.read!({ path: '/goapp', size: bin.length, mode: 0o755, source, unpacker: space }, errors)).toThrow(/temporary copy ends at byte 4096 .*changed or removed/);
    space.dispose();
  });
});
