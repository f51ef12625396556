// The image of the vulnerability benchmark, built reproducibly from this machine's sources:
//   layer 0  Debian bookworm by debootstrap (minbase plus git, curl, perl, python3-pip, nodejs, npm, ...:
//            several hundred dpkg packages)
//   layer 1  an application: a node_modules tree (npm install of pinned, partly vulnerable versions), a Python
//            site-packages (pip install --target of pinned wheels) and a Go binary built against old modules
// Everything is cached in .cache/bench-vulns/ and rebuilt only when missing.
//   npx tsx scripts/bench/vulns-image.ts            build, push to a loopback registry, measure the inventory
// Other benchmarks import buildVulnsBenchImage() / pushVulnsBenchImage().
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { craneFor } from '../../test/oci/support/crane.ts';
import { startRegistry } from '../../test/oci/support/registry-server.ts';
import { tarOfDirectory, writeLayer, type LayerFile } from './layer-files.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cache = join(root, '.cache', 'bench-vulns');
const MB = 1024 * 1024;

/** Debian packages on top of minbase (by debootstrap), then npm (by apt, which brings a few hundred node-* packages). */
export const debianPackages = ['ca-certificates', 'curl', 'git', 'openssh-client', 'gnupg', 'perl', 'python3', 'python3-pip', 'python3-venv', 'nodejs', 'openssl', 'procps', 'less', 'xz-utils', 'unzip', 'wget'];
export const aptPackages = ['npm'];
/** npm packages at versions with published advisories (and their dependency trees). */
export const npmPackages = ['express@4.17.1', 'lodash@4.17.20', 'minimist@1.2.5', 'axios@0.21.1', 'moment@2.29.1', 'jsonwebtoken@8.5.1', 'handlebars@4.7.6', 'node-fetch@2.6.0'];
/** Pure-Python wheels at versions with published advisories, pinned without resolving dependencies. */
export const pythonPackages = ['requests==2.25.0', 'urllib3==1.26.4', 'flask==1.1.2', 'jinja2==2.11.2', 'werkzeug==1.0.1', 'django==3.2', 'idna==2.10', 'certifi==2020.12.5', 'chardet==3.0.4', 'sqlparse==0.4.1', 'asgiref==3.3.4', 'itsdangerous==1.1.0', 'click==7.1.2'];
/** Go modules at versions the Go vulnerability database lists. */
export const goModules = { 'golang.org/x/text': 'v0.3.7', 'golang.org/x/net': 'v0.7.0', 'github.com/gorilla/websocket': 'v1.4.0' };

function say(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

async function rootfs(): Promise<string> {
  const dir = join(cache, 'rootfs');
  if (existsSync(join(dir, 'var/lib/dpkg/status'))) return dir;
  if (spawnSync('sh', ['-c', 'command -v debootstrap || (apt-get install -y -qq debootstrap >/dev/null 2>&1 && command -v debootstrap)']).status !== 0) throw new Error('debootstrap is not installable');
  say('debootstrap bookworm minbase with the extra packages (once, cached)');
  await rm(`${dir}.tmp`, { recursive: true, force: true });
  await mkdir(cache, { recursive: true });
  const r = spawnSync('debootstrap', ['--variant=minbase', `--include=${debianPackages.join(',')}`, 'bookworm', `${dir}.tmp`, 'http://deb.debian.org/debian'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`debootstrap exited ${r.status}`);
  // npm's dependency web is more than debootstrap's resolver handles; apt in the new root installs it.
  const apt = spawnSync('chroot', [`${dir}.tmp`, 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...aptPackages], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (apt.status !== 0) throw new Error(`apt-get install in the bench root exited ${apt.status}`);
  await rm(join(`${dir}.tmp`, 'var/cache/apt/archives'), { recursive: true, force: true });
  await rename(`${dir}.tmp`, dir);
  return dir;
}

async function appTree(): Promise<string> {
  const dir = join(cache, 'app');
  if (existsSync(join(dir, '.done'))) return dir;
  await rm(dir, { recursive: true, force: true });
  const srv = join(dir, 'srv/app');
  await mkdir(srv, { recursive: true });
  say('npm install of the application packages');
  await writeFile(join(srv, 'package.json'), JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...npmPackages], { cwd: srv });
  say('pip install of the Python packages');
  const site = join(dir, 'usr/local/lib/python3.11/site-packages');
  await run('python3', ['-m', 'pip', 'install', '--quiet', '--no-deps', '--no-compile', '--only-binary=:all:', '--target', site, ...pythonPackages]);
  say('go build of the Go service');
  const src = join(cache, 'go-src');
  await rm(src, { recursive: true, force: true });
  await mkdir(src, { recursive: true });
  const requires = Object.entries(goModules).map(([m, v]) => `\t${m} ${v}`).join('\n');
  await writeFile(join(src, 'go.mod'), `module example.com/bench/service\n\ngo 1.21\n\nrequire (\n${requires}\n)\n`);
  await writeFile(
    join(src, 'main.go'),
    'package main\n\nimport (\n\t"fmt"\n\n\t"github.com/gorilla/websocket"\n\t"golang.org/x/net/html"\n\t"golang.org/x/text/language"\n)\n\nfunc main() { fmt.Println(language.English, html.ElementNode, websocket.TextMessage) }\n',
  );
  const env = { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' };
  await run('go', ['mod', 'tidy'], { cwd: src, env });
  await mkdir(join(dir, 'usr/local/bin'), { recursive: true });
  await run('go', ['build', '-trimpath', '-o', join(dir, 'usr/local/bin/service'), '.'], { cwd: src, env });
  await rm(src, { recursive: true, force: true });
  await writeFile(join(dir, '.done'), '');
  return dir;
}

export interface BenchImage {
  layout: string;
  layers: LayerFile[];
  uncompressedBytes: number;
}

/** The OCI layout of the bench image (cached: rebuilt only when its parts are). */
export async function buildVulnsBenchImage(): Promise<BenchImage> {
  const base = await rootfs();
  const app = await appTree();
  const work = join(cache, 'image');
  const stamp = join(work, 'layers.json');
  if (existsSync(stamp)) {
    const layers = JSON.parse(await readFile(stamp, 'utf8')) as LayerFile[];
    return { layout: join(work, 'layout'), layers, uncompressedBytes: layers.reduce((n, l) => n + l.uncompressed, 0) };
  }
  await rm(work, { recursive: true, force: true });
  const blobs = join(work, 'layout', 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  say('packing the layers');
  const layers = [await writeLayer(tarOfDirectory(base), join(work, 'layer0')), await writeLayer(tarOfDirectory(app, ['.done']), join(work, 'layer1'))];
  for (const l of layers) await rename(l.path, join(blobs, l.digest.slice(7)));
  const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: new Date(0).toISOString(), config: { Cmd: ['/usr/local/bin/service'] }, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }));
  await writeFile(join(blobs, digestOf(config).slice(7)), config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: digestOf(config), size: config.length },
      layers: layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: l.digest, size: l.size })),
    }),
  );
  await writeFile(join(blobs, digestOf(manifest).slice(7)), manifest);
  await writeFile(join(work, 'layout', 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(work, 'layout', 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf(manifest), size: manifest.length }] }));
  await writeFile(stamp, JSON.stringify(layers.map((l) => ({ ...l, path: join(blobs, l.digest.slice(7)) }))));
  return { layout: join(work, 'layout'), layers, uncompressedBytes: layers.reduce((n, l) => n + l.uncompressed, 0) };
}

/** Pushes the bench image with crane to `host` as bench/vulns:1 and returns the reference. */
export async function pushVulnsBenchImage(host: string): Promise<string> {
  const image = await buildVulnsBenchImage();
  const crane = await craneFor(host);
  await crane('push', image.layout, `${host}/bench/vulns:1`);
  return `${host}/bench/vulns:1`;
}

interface CliRun {
  seconds: number;
  maxRssMB: number;
  stdout: string;
}

/** Runs the posture CLI as a user would (node start-up included), under /usr/bin/time for its peak RSS. */
function timeCli(args: string[]): Promise<CliRun> {
  return new Promise((res, rej) => {
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', process.execPath, join(root, 'bin/posture.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rssKb = Number(stderr.trim().split('\n').pop());
      if (code !== 0 && code !== 1) return rej(new Error(`posture exited ${code}: ${stderr.slice(0, 500)}`));
      res({ seconds, maxRssMB: rssKb / 1024, stdout });
    });
  });
}

async function main(): Promise<void> {
  const image = await buildVulnsBenchImage();
  const registry = await startRegistry({ kind: 'none' });
  try {
    const ref = await pushVulnsBenchImage(registry.host);
    const cli = await timeCli(['scan', `oci://${ref}`, '--format', 'cyclonedx', '--no-history', '--insecure-registry', registry.host]);
    const bom = JSON.parse(cli.stdout) as { components: { properties?: { name: string; value: string }[] }[] };
    const counts = new Map<string, number>();
    for (const c of bom.components) {
      const manager = c.properties?.find((p) => p.name === 'posture:package:manager')?.value ?? '?';
      const layer = c.properties?.find((p) => p.name === 'posture:layer:index')?.value ?? '?';
      counts.set(`${manager} (layer ${layer})`, (counts.get(`${manager} (layer ${layer})`) ?? 0) + 1);
    }
    const lines = [
      `image ${ref}: ${image.layers.length} layers, ${(image.uncompressedBytes / MB).toFixed(1)} MB uncompressed, ${(image.layers.reduce((n, l) => n + l.size, 0) / MB).toFixed(1)} MB compressed`,
      '',
      '| packages by manager           | count |',
      '|-------------------------------|-------|',
      ...[...counts].sort().map(([k, n]) => `| ${k.padEnd(29)} | ${String(n).padStart(5)} |`),
      `| ${'total'.padEnd(29)} | ${String(bom.components.length).padStart(5)} |`,
      '',
      `posture scan --format cyclonedx (CLI, pull + inventory + SBOM): ${cli.seconds.toFixed(2)} s wall, ${cli.maxRssMB.toFixed(0)} MB peak RSS`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await registry.stop();
  }
}

if (process.argv[1] === import.meta.filename) await main();
