// Language packages on real inputs made by their own tools (scripts/setup.d/50-inventory-fixtures.sh):
// a Go binary from `go build`, a Rust binary from `cargo auditable`, an npm install, a pip install, Maven
// Central jars nested in a WAR and an EAR by `jar`, and a gemspec from a Debian package. Expected values
// come from the tools: `go version -m`, Cargo.lock, `npm ls`, `pip list`, the coordinates we asked Maven for.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { zipSync } from 'fflate';
import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';
import type { LayerEntry } from './support/layers.ts';
import { analyzeEntries } from './support/analyze.ts';
import { fixture } from './support/inventory-fixtures.ts';
import { expectJavaArchivePackages, javaArchiveEntries } from './support/java-archives.ts';

const run = promisify(execFile);
const debian = { path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };

/** Every file under `dir`, as layer entries rooted at `prefix`. */
async function tree(dir: string, prefix: string): Promise<LayerEntry[]> {
  const out: LayerEntry[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = join(e.parentPath, e.name);
    out.push({ path: `${prefix}/${relative(dir, full)}`, content: await readFile(full) });
  }
  return out;
}

const ids = (ps: { name: string; version: string }[]): string[] => [...new Set(ps.map((p) => `${p.name}@${p.version}`))].sort();

describe('Go binaries', () => {
  it('lists the modules and Go version that `go version -m` prints', async () => {
    const bin = fixture('go/goapp');
    const { stdout } = await run('go', ['version', '-m', bin]);
    const lines = stdout.split('\n').map((l) => l.trim().split('\t'));
    const goVersion = stdout.split('\n')[0]!.split(': ')[1]!.trim();
    const deps = lines.filter((f) => f[0] === 'dep').map((f) => ({ name: f[1]!, version: f[2]! }));
    expect(deps).toContainEqual({ name: 'golang.org/x/text', version: 'v0.3.7' });
    const { contents, errors, layers } = await analyzeEntries([[debian], [{ path: 'usr/local/bin/goapp', content: await readFile(bin), mode: 0o755 }]]);
    expect(errors).toEqual([]);
    const go = contents.packages.filter((p) => p.manager === 'go');
    expect(ids(go)).toEqual(ids([...deps, { name: 'stdlib', version: `v${goVersion.replace(/^go/, '')}` }]));
    expect(go[0]).toMatchObject({ ecosystem: 'Go', layer: 1, layerDigest: layers[1]!.digest, path: '/usr/local/bin/goapp' });
    expect(go.find((p) => p.name === 'golang.org/x/text')!.purl).toBe('pkg:golang/golang.org/x/text@v0.3.7');
  });

  it('ignores executables that are not Go, and ELF files that are not executable', async () => {
    const bin = await readFile(fixture('go/goapp'));
    const { contents, errors } = await analyzeEntries([[{ path: 'bin/true', content: await readFile('/bin/true'), mode: 0o755 }, { path: 'lib/goapp.so', content: bin, mode: 0o644 }]]);
    expect(errors).toEqual([]);
    expect(contents.packages).toEqual([]);
  });
});

describe('binaries over the package-file limit', () => {
  it('names an executable ELF file too large to read, and stays quiet about a large script', async () => {
    const bin = await readFile(fixture('go/goapp'));
    expect(bin.length).toBeGreaterThan(1024 * 1024);
    const { contents, errors } = await analyzeEntries(
      [[{ path: 'usr/local/bin/goapp', content: bin, mode: 0o755 }, { path: 'usr/local/bin/install.sh', content: Buffer.alloc(2 * 1024 * 1024, 0x23), mode: 0o755 }]],
      { maxPackageFileBytes: 1024 * 1024 },
    );
    expect(contents.packages).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['package-file-too-large', 'package-file-too-large']); // the Go and the Rust analyzer each say so
    expect(errors[0]!.message).toContain('/usr/local/bin/goapp');
    expect(errors.some((e) => e.message.includes('install.sh'))).toBe(false);
  });
});

describe('Rust binaries (cargo auditable)', () => {
  it('lists the crates.io crates Cargo.lock has', async () => {
    const lock = await readFile(fixture('rust/Cargo.lock'), 'utf8');
    const crates = [...lock.matchAll(/\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"\nsource = "registry\+https:\/\/github.com\/rust-lang\/crates.io-index"/g)].map((m) => ({ name: m[1]!, version: m[2]! }));
    expect(crates).toContainEqual({ name: 'smallvec', version: '1.6.0' });
    const { contents, errors } = await analyzeEntries([[{ path: 'usr/local/bin/rsapp', content: await readFile(fixture('rust/rsapp')), mode: 0o755 }]]);
    expect(errors).toEqual([]);
    expect(ids(contents.packages)).toEqual(ids(crates));
    expect(contents.packages[0]).toMatchObject({ manager: 'cargo', ecosystem: 'crates.io', purl: 'pkg:cargo/smallvec@1.6.0' });
  });
});

describe('npm', () => {
  it('lists every installed package `npm ls --all` lists, nested copies included', async () => {
    const app = fixture('npm/app');
    const { stdout } = await run('npm', ['ls', '--all', '--json'], { cwd: app });
    const walk = (deps: Record<string, { version: string; dependencies?: object }> | undefined): { name: string; version: string }[] =>
      Object.entries(deps ?? {}).flatMap(([name, d]) => [{ name, version: d.version }, ...walk(d.dependencies as never)]);
    const expected = walk((JSON.parse(stdout) as { dependencies: never }).dependencies);
    expect(expected).toContainEqual({ name: 'ms', version: '2.0.0' });
    const { contents, errors } = await analyzeEntries([[debian, ...(await tree(app, 'srv/app'))]]);
    expect(errors).toEqual([]);
    const npm = contents.packages.filter((p) => p.manager === 'npm');
    expect(ids(npm)).toEqual(ids(expected));
    expect(npm.find((p) => p.name === 'ms' && p.version === '2.0.0')!.path).toBe('/srv/app/node_modules/debug/node_modules/ms/package.json');
    const scoped = npm.find((p) => p.name === '@babel/helper-plugin-utils')!;
    expect(PackageURL.fromString(scoped.purl)).toMatchObject({ type: 'npm', namespace: '@babel', name: 'helper-plugin-utils', version: '7.10.4' });
    expect(scoped.ecosystem).toBe('npm');
  });

  it('leaves out a node_modules shipped inside a package (test fixtures), as `npm ls` does, and reads pnpm\'s store', async () => {
    // A copy of the fixture app with a package that ships test/fixtures/node_modules/fixture-only (npm never
    // installed it: it is one of debug's files) and a pnpm store entry (node_modules/.pnpm/<name@version>/node_modules/<name>).
    const dir = await mkdtemp(join(tmpdir(), 'posture-npm-'));
    try {
      await cp(fixture('npm/app'), dir, { recursive: true });
      const shipped = join(dir, 'node_modules/debug/test/fixtures/node_modules/fixture-only');
      await mkdir(shipped, { recursive: true });
      await writeFile(join(shipped, 'package.json'), JSON.stringify({ name: 'fixture-only', version: '9.9.9' }));
      const { stdout } = await run('npm', ['ls', '--all', '--json'], { cwd: dir });
      const walk = (deps: Record<string, { version: string; dependencies?: object }> | undefined): { name: string; version: string }[] =>
        Object.entries(deps ?? {}).flatMap(([name, d]) => [{ name, version: d.version }, ...walk(d.dependencies as never)]);
      const expected = walk((JSON.parse(stdout) as { dependencies: never }).dependencies);
      expect(expected.map((p) => p.name)).not.toContain('fixture-only');
      const pnpm = { path: 'srv/other/node_modules/.pnpm/left-pad@1.3.0/node_modules/left-pad/package.json', content: JSON.stringify({ name: 'left-pad', version: '1.3.0' }) };
      const { contents, errors } = await analyzeEntries([[debian, ...(await tree(dir, 'srv/app')), pnpm]]);
      expect(errors).toEqual([]);
      const npm = contents.packages.filter((p) => p.manager === 'npm');
      expect(ids(npm)).toEqual(ids([...expected, { name: 'left-pad', version: '1.3.0' }]));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('falls back to the lockfile when node_modules is not in the image', async () => {
    const app = fixture('npm/app');
    const { stdout } = await run('npm', ['ls', '--all', '--json'], { cwd: app });
    const walk = (deps: Record<string, { version: string; dependencies?: object }> | undefined): string[] => Object.entries(deps ?? {}).flatMap(([name, d]) => [`${name}@${d.version}`, ...walk(d.dependencies as never)]);
    const { contents } = await analyzeEntries([[{ path: 'srv/app/package-lock.json', content: await readFile(join(app, 'package-lock.json')) }]]);
    expect(ids(contents.packages)).toEqual([...new Set(walk((JSON.parse(stdout) as { dependencies: never }).dependencies))].sort());
    expect(contents.packages.every((p) => p.path === '/srv/app/package-lock.json')).toBe(true);
  });
});

describe('Python', () => {
  it('lists the distributions `pip list` finds in a site-packages directory', async () => {
    const site = fixture('python/site-packages');
    const { stdout } = await run('python3', ['-m', 'pip', 'list', '--path', site, '--format', 'json']);
    const expected = JSON.parse(stdout) as { name: string; version: string }[];
    expect(expected.length).toBe(2);
    const { contents, errors } = await analyzeEntries([[debian, ...(await tree(site, 'usr/local/lib/python3.11/site-packages'))]]);
    expect(errors).toEqual([]);
    expect(ids(contents.packages)).toEqual(ids(expected));
    const requests = contents.packages.find((p) => p.name === 'requests')!;
    expect(requests).toMatchObject({ manager: 'python', ecosystem: 'PyPI', purl: 'pkg:pypi/requests@2.25.0', path: '/usr/local/lib/python3.11/site-packages/requests-2.25.0.dist-info/METADATA' });
  });

  it('reads egg-info PKG-INFO (core metadata 1.x) and stops at the headers', async () => {
    const pkgInfo = 'Metadata-Version: 1.1\nName: PyYAML\nVersion: 5.3.1\nSummary: YAML parser\n\nName: not-a-header\n';
    const { contents } = await analyzeEntries([[{ path: 'usr/lib/python3/dist-packages/PyYAML-5.3.1.egg-info', content: pkgInfo }]]);
    expect(contents.packages.map((p) => [p.name, p.version, p.purl])).toEqual([['PyYAML', '5.3.1', 'pkg:pypi/pyyaml@5.3.1']]);
  });
  it('reads eggs, unpacked and zipped, and not wheel files, as importlib.metadata finds distributions', async () => {
    // easy_install leaves eggs in site-packages and puts each on sys.path (easy-install.pth); a wheel file in
    // /usr/share/python-wheels (Debian's python3-pip-whl) is an archive for ensurepip, not an installed one.
    const dir = await mkdtemp(join(tmpdir(), 'posture-egg-'));
    try {
      const pkgInfo = (name: string, version: string): Buffer => Buffer.from(`Metadata-Version: 1.1\nName: ${name}\nVersion: ${version}\n\nLong description\n`);
      const site = join(dir, 'site-packages');
      const unpacked = join(site, 'Paste-3.5.0-py3.11.egg');
      await mkdir(join(unpacked, 'EGG-INFO'), { recursive: true });
      await writeFile(join(unpacked, 'EGG-INFO', 'PKG-INFO'), pkgInfo('Paste', '3.5.0'));
      const zipped = join(site, 'PyYAML-5.3.1-py3.11-linux-x86_64.egg');
      await writeFile(zipped, zipSync({ 'EGG-INFO/PKG-INFO': pkgInfo('PyYAML', '5.3.1'), 'yaml/__init__.py': Buffer.from('') }));
      const wheels = join(dir, 'python-wheels');
      await mkdir(wheels);
      await writeFile(join(wheels, 'pip-23.0.1-py3-none-any.whl'), zipSync({ 'pip-23.0.1.dist-info/METADATA': Buffer.from('Metadata-Version: 2.1\nName: pip\nVersion: 23.0.1\n') }));
      const script = 'import importlib.metadata as m, json, sys\nprint(json.dumps([{"name": d.metadata["Name"], "version": d.version} for d in m.distributions(path=sys.argv[1:])]))';
      const { stdout } = await run('python3', ['-c', script, site, unpacked, zipped, wheels]);
      const expected = JSON.parse(stdout) as { name: string; version: string }[];
      expect(ids(expected)).toEqual(['Paste@3.5.0', 'PyYAML@5.3.1']);
      const { contents, errors } = await analyzeEntries([[...(await tree(site, 'usr/lib/python3/dist-packages')), ...(await tree(wheels, 'usr/share/python-wheels'))]]);
      expect(errors).toEqual([]);
      expect(ids(contents.packages)).toEqual(ids(expected));
      expect(contents.packages.find((p) => p.name === 'PyYAML')).toMatchObject({ ecosystem: 'PyPI', path: '/usr/lib/python3/dist-packages/PyYAML-5.3.1-py3.11-linux-x86_64.egg' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('names a zipped egg that is not a zip, and keeps the distributions next to it', async () => {
    const { contents, errors } = await analyzeEntries([
      [
        { path: 'usr/lib/python3/dist-packages/broken-1.0-py3.11.egg', content: 'not a zip archive' },
        { path: 'usr/lib/python3/dist-packages/six-1.16.0.egg-info', content: 'Metadata-Version: 1.1\nName: six\nVersion: 1.16.0\n' },
      ],
    ]);
    expect(ids(contents.packages)).toEqual(['six@1.16.0']);
    expect(errors).toEqual([expect.objectContaining({ code: 'package-file-invalid', message: expect.stringContaining('/usr/lib/python3/dist-packages/broken-1.0-py3.11.egg') })]);
  });
});

describe('Java', () => {
  it('reads pom.properties of plain jars, and of jars nested in a WAR and in a WAR inside an EAR', async () => {
    const { contents, errors } = await analyzeEntries([await javaArchiveEntries()]);
    expect(errors).toEqual([]);
    expectJavaArchivePackages(contents.packages);
    expect(contents.packages[0]).toMatchObject({ manager: 'java', ecosystem: 'Maven', purl: 'pkg:maven/org.apache.commons/commons-text@1.9' });
  });

  it('bounds nesting depth and refuses a nested archive that claims to inflate past the budget', async () => {
    const pom = (a: string): Record<string, Uint8Array> => ({ [`META-INF/maven/g/${a}/pom.properties`]: Buffer.from(`groupId=g\nartifactId=${a}\nversion=1\n`) });
    let inner: Uint8Array = zipSync(pom('level4'));
    for (let level = 3; level >= 0; level--) inner = zipSync({ ...pom(`level${level}`), [`lib/l${level + 1}.jar`]: inner });
    const { contents } = await analyzeEntries([[{ path: 'app/deep.jar', content: Buffer.from(inner) }]]);
    // depth 0 (the file itself) to 3 are read; the jar at depth 4 is not opened.
    expect(contents.packages.map((p) => p.name).sort()).toEqual(['g:level0', 'g:level1', 'g:level2', 'g:level3']);
    // A nested jar whose headers claim it inflates to 300 MiB: over the nested budget, reported, not inflated.
    const bomb = Buffer.from(zipSync({ 'lib/huge.jar': zipSync(pom('huge')) }, { level: 0 }));
    const claim = 300 * 1024 * 1024;
    for (let at = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); at >= 0; at = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 4)) bomb.writeUInt32LE(claim, at + 24);
    const r = await analyzeEntries([[{ path: 'app/bomb.war', content: bomb }]]);
    expect(r.errors).toEqual([expect.objectContaining({ code: 'package-file-invalid', message: expect.stringContaining('/app/bomb.war') })]);
  });
});

describe('Ruby', () => {
  it('reads a gemspec RubyGems wrote, as the Debian package ruby-rack installs it', async () => {
    const debVersion = (await readFile(fixture('gem/deb-version'), 'utf8')).trim();
    const upstream = debVersion.replace(/^\d+:/, '').replace(/-[^-]+$/, '').replace(/\+dfsg.*$/, '');
    const specs = (await readdir(fixture('gem'))).filter((f) => f.endsWith('.gemspec'));
    expect(specs).toEqual([`rack-${upstream}.gemspec`]);
    const { contents } = await analyzeEntries([[{ path: `usr/share/rubygems-integration/all/specifications/${specs[0]}`, content: await readFile(fixture(`gem/${specs[0]}`)) }]]);
    expect(contents.packages.map((p) => [p.name, p.version, p.manager, p.ecosystem, p.purl])).toEqual([['rack', upstream, 'gem', 'RubyGems', `pkg:gem/rack@${upstream}`]]);
  });
});
