// Benchmark: an image pulled from a real registry on loopback and analyzed by `posture scan oci://…`, run as
// a user runs it (a new CLI process, start-up included), against the floor of merely fetching and
// decompressing the same blobs with curl | gzip -dc (C) from the same registry (for the cost per entry also
// through Node's gunzip and tar-stream with an empty entry handler, the tar library's own floor), and against
// Trivy (secret scanner; secret + misconfig) and syft when they are built (scripts/peers/*; this bench builds
// nothing).
//   npm run bench:image [-- --min-mb 200] [--small-files 400000] [--large-mb 1100] [--runs 3] [--synthetic] [--no-peers] [--cli path/to/posture.js]
// Three images: a rootfs of at least --min-mb (a debootstrap minbase when debootstrap is available, topped up
// with synthesized files) for throughput, one of --small-files tiny files for the cost per tar entry, and one
// of about --large-mb of few large package files (scripts/bench/large-files.ts: a Go binary, a fat jar, an rpm
// database) for memory that must not grow with file size (0 leaves an image out). --cli runs another build of
// posture (a checkout of an earlier commit, say) against the same images, to compare before and after.
// Every row is timed by /usr/bin/time (wall, CPU = user + system of the process and its children, peak RSS);
// the median of --runs runs is shown. Images are cached in .cache/ by their parameters.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Readable } from 'node:stream';
import Table from 'cli-table3';
import { pack as tarPack } from 'tar-stream';
import { craneFor } from '../../test/oci/support/crane.ts';
import { buildLargeFiles, tarOfFiles, type Expected } from './large-files.ts';
import { tarOfDirectory, writeLayer, type LayerFile } from './layer-files.ts';
import { startRegistry, toolsBin } from '../../test/oci/support/registry-server.ts';

const root = resolve(import.meta.dirname, '../..');
const cache = join(root, '.cache');
const MB = 1024 * 1024;

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const option = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
const cli = argv.includes('--cli') ? resolve(argv[argv.indexOf('--cli') + 1]!) : join(root, 'bin/posture.js');
const postureRow = argv.includes('--cli') ? `posture scan oci://… (CLI ${cli})` : 'posture scan oci://… (CLI)';

/** Deterministic xorshift so the synthesized image is the same on every run and machine. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** A rootfs-like tree: shared libraries (mostly incompressible), Python/JS sources and docs (text), configs. */
function synthesizedTar(targetBytes: number): Readable {
  const rand = prng(42);
  const words = 'import return self def class value config for while the of and to in is with error result data path file user request response handler default module package version license copyright install system service'.split(' ');
  const line = (): string => Array.from({ length: 4 + Math.floor(rand() * 10) }, () => words[Math.floor(rand() * words.length)]).join(' ');
  const pool = Buffer.from(Array.from({ length: 4000 }, line).join('\n'));
  const pack = tarPack();
  void (async () => {
    const add = (name: string, body: Buffer, mode = 0o644): Promise<void> =>
      new Promise((res, rej) => pack.entry({ name, mode, mtime: new Date(0) }, body, (e) => (e ? rej(e) : res())));
    let written = 0;
    await add('etc/os-release', Buffer.from('ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Synthesized Debian-like"\n'));
    await add('etc/passwd', Buffer.from('root:x:0:0:root:/root:/bin/bash\nsvc:x:1000:1000::/srv:/usr/sbin/nologin\n'));
    await add('srv/app/settings.env', Buffer.from('AWS_ACCESS_KEY_ID=AKIAFAKEEXAMPLE00002\n'));
    await add('usr/bin/su', Buffer.from('fictional'), 0o4755);
    for (let i = 0; written < targetBytes; i++) {
      const kind = i % 10;
      let body: Buffer;
      let name: string;
      if (kind < 3) {
        // "shared library": random bytes with zero runs, compresses about 2:1 like real ELF files
        const size = (20_000 + Math.floor(rand() * 200_000)) & ~3;
        body = Buffer.alloc(size);
        for (let o = 0; o < size; o += 4) if (rand() < 0.5) body.writeUInt32LE(Math.floor(rand() * 4294967296), o);
        name = `usr/lib/x86_64-linux-gnu/lib${i}.so.1`;
      } else {
        const size = 500 + Math.floor(rand() * 30_000);
        const start = Math.floor(rand() * (pool.length - 1));
        body = Buffer.alloc(size);
        for (let o = 0; o < size; ) o += pool.copy(body, o, o === 0 ? start : 0, Math.min(pool.length, (o === 0 ? start : 0) + size - o));
        name = kind < 7 ? `usr/lib/python3/dist-packages/pkg${i % 300}/mod${i}.py` : kind < 9 ? `usr/share/doc/pkg${i % 500}/README${i}` : `etc/app${i % 50}/conf${i}.conf`;
      }
      await add(name, body);
      written += body.length + 512;
    }
    pack.finalize();
  })().catch((err: Error) => pack.destroy(err));
  return pack as unknown as Readable;
}

async function debootstrapRootfs(): Promise<string | null> {
  const dir = join(cache, 'bench-debootstrap', 'rootfs');
  if (existsSync(join(dir, 'etc/os-release')) && existsSync(join(dir, 'var/lib/dpkg/status'))) return dir;
  const have = spawnSync('sh', ['-c', 'command -v debootstrap || (apt-get install -y -qq debootstrap >/dev/null 2>&1 && command -v debootstrap)']);
  if (have.status !== 0) return null;
  process.stderr.write('bench: building a debootstrap minbase rootfs (once, cached in .cache/)\n');
  await rm(join(cache, 'bench-debootstrap'), { recursive: true, force: true });
  await mkdir(join(cache, 'bench-debootstrap'), { recursive: true });
  const r = spawnSync('debootstrap', ['--variant=minbase', 'bookworm', dir, 'http://deb.debian.org/debian'], { stdio: 'inherit' });
  return r.status === 0 ? dir : null;
}

/** Tiny files in a few thousand directories: the tar is mostly headers, so the analyzer's cost per entry shows. */
function smallFilesTar(count: number): Readable {
  const rand = prng(7);
  const pack = tarPack();
  void (async () => {
    const add = (name: string, body: Buffer): Promise<void> => new Promise((res, rej) => pack.entry({ name, mode: 0o644, mtime: new Date(0) }, body, (e) => (e ? rej(e) : res())));
    await add('etc/os-release', Buffer.from('ID=debian\nVERSION_ID="12"\n'));
    for (let i = 0; i < count; i++) {
      const body = Buffer.from(`${i} ${'x'.repeat(Math.floor(rand() * 200))}\n`);
      await add(`srv/data/d${i % 4000}/f${i}.txt`, body);
    }
    pack.finalize();
  })().catch((err: Error) => pack.destroy(err));
  return pack as unknown as Readable;
}

interface BuiltImage {
  layout: string;
  layers: { digest: string; size: number; uncompressed: number }[];
  description: string;
}

const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** An OCI layout of these layers, cached under .cache/<name> (its image.json says what it holds). */
async function layoutOf(name: string, description: string, makeLayers: (work: string) => Promise<LayerFile[]>): Promise<BuiltImage> {
  const work = join(cache, name);
  const recordFile = join(work, 'image.json');
  if (existsSync(recordFile)) return JSON.parse(readFileSync(recordFile, 'utf8')) as BuiltImage;
  process.stderr.write(`bench: building ${description} (once, cached in .cache/${name})\n`);
  await rm(work, { recursive: true, force: true });
  const blobs = join(work, 'layout', 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const layers = await makeLayers(work);
  for (const l of layers) await rename(l.path, join(blobs, l.digest.slice(7)));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: new Date(0).toISOString(), config: { Cmd: ['/bin/sh'] }, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }));
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
  const built: BuiltImage = { layout: join(work, 'layout'), layers: layers.map(({ digest, size, uncompressed }) => ({ digest, size, uncompressed })), description };
  await writeFile(recordFile, JSON.stringify(built));
  return built;
}

async function rootfsImage(minBytes: number, synthetic: boolean): Promise<BuiltImage> {
  const deb = synthetic ? null : await debootstrapRootfs();
  const name = `bench-image-${deb ? 'deb' : 'syn'}-${minBytes / MB}mb`;
  return layoutOf(name, `${deb ? 'debootstrap bookworm minbase + synthesized top-up' : 'synthesized rootfs'}, at least ${minBytes / MB} MiB`, async (work) => {
    const layers: LayerFile[] = [];
    if (deb) layers.push(await writeLayer(tarOfDirectory(deb), join(work, 'layer0')));
    const have = layers.reduce((n, l) => n + l.uncompressed, 0);
    if (have < minBytes) layers.push(await writeLayer(synthesizedTar(minBytes - have), join(work, `layer${layers.length}`)));
    return layers;
  });
}

/** The large-files image, and what the tools that made its files list in them (kept beside the layout). */
async function largeFilesImage(totalMB: number): Promise<{ image: BuiltImage; expected: Expected }> {
  const name = `bench-image-large-${totalMB}mb`;
  const plan = { goEmbedBytes: 256 * MB, jarResourceBytes: 288 * MB, rpmPackages: 48, rpmDescriptionBytes: 5 * MB, fillerBytes: 0 };
  plan.fillerBytes = Math.max(0, totalMB * MB - (plan.goEmbedBytes + plan.jarResourceBytes + 48 * MB + plan.rpmPackages * plan.rpmDescriptionBytes));
  const image = await layoutOf(name, `a Go binary, a fat jar and an rpm database, large, plus data: about ${totalMB} MiB`, async (work) => {
    const { files, expected } = await buildLargeFiles(work, plan);
    await writeFile(join(work, 'expected.json'), JSON.stringify(expected));
    const layers: LayerFile[] = [];
    const os = [{ path: 'etc/os-release', content: 'ID="rocky"\nVERSION_ID="9.4"\nPRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"\n' }];
    for (const [i, f] of files.entries()) {
      layers.push(await writeLayer(tarOfFiles([f], i === 0 ? os : []), join(work, `layer${i}`)));
      await rm(f.file);
    }
    await rm(join(work, 'rpmdb'), { recursive: true, force: true }); // rpm's lock and WAL files beside the database
    return layers;
  });
  return { image, expected: JSON.parse(readFileSync(join(cache, name, 'expected.json'), 'utf8')) as Expected };
}

async function smallFilesImage(count: number): Promise<BuiltImage> {
  return layoutOf(`bench-image-small-${count}`, `${count} small files`, async (work) => [await writeLayer(smallFilesTar(count), join(work, 'layer0'))]);
}

interface Sample {
  wallS: number;
  cpuS: number;
  rssMB: number;
}

/** One run under /usr/bin/time; `ok` decides from the exit code whether the run counts. */
function timed(argv: string[], env: Record<string, string> = {}, ok = (code: number) => code === 0): Promise<Sample> {
  return new Promise((res, rej) => {
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %U %S %M', ...argv], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
    child.on('error', rej);
    child.on('close', () => {
      const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(err);
      const code = /Command exited with non-zero status (\d+)/.exec(err);
      const exit = code ? Number(code[1]) : 0;
      if (!m || !ok(exit)) return rej(new Error(`${argv.slice(0, 3).join(' ')}… exited ${exit}: ${err.replace(/TIME .*$/, '').trim().split('\n').slice(-3).join(' | ')}`));
      res({ wallS: Number(m[1]), cpuS: Number(m[2]) + Number(m[3]), rssMB: Number(m[4]) / 1024 });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function repeat(runs: number, once: () => Promise<Sample>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await once());
  return { wallS: median(samples.map((s) => s.wallS)), cpuS: median(samples.map((s) => s.cpuS)), rssMB: Math.max(...samples.map((s) => s.rssMB)) };
}

interface Row {
  name: string;
  result: Sample | string;
}

const gzipSink = 'gzip -dc > /dev/null';
/** Node's gunzip and tar-stream with an entry handler that only drains (what posture's walk is built on). */
const tarStreamSink = `'${process.execPath}' '${join(root, 'scripts/bench/lib/tar-stream-only.mjs')}'`;

/** The floor: the manifest and every layer blob fetched by curl and piped to `sink` (gzip -dc), nothing else. */
function floor(host: string, repo: string, tag: string, image: BuiltImage, sink = gzipSink): Promise<Sample> {
  const base = `http://${host}/v2/${repo}`;
  const script = [
    'set -e -o pipefail',
    `curl -sfS -o /dev/null -H 'Accept: application/vnd.oci.image.manifest.v1+json' ${base}/manifests/${tag}`,
    ...image.layers.map((l) => `curl -sfS ${base}/blobs/${l.digest} | ${sink}`),
  ].join('\n');
  return timed(['bash', '-c', script]);
}

interface FoundPackage {
  manager: string;
  name: string;
  version: string;
}

async function postureScan(ref: string, host: string): Promise<{ sample: Sample; note: string; packages: FoundPackage[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'posture-bench-image-'));
  const out = join(dir, 'report.json');
  try {
    // 0: no finding at/above --fail-on (none given); findings never change the exit code here.
    const sample = await timed([process.execPath, cli, 'scan', `oci://${ref}`, '--insecure-registry', host, '--no-history', '--format', 'json', '--output', out]);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { assets: { image?: { contents?: { fileCount: number; packages: FoundPackage[]; secrets: unknown[] }; scanErrors: { code: string }[] } }[] };
    const image = report.assets.find((a) => a.image)?.image;
    const c = image?.contents;
    const errors = image?.scanErrors.length ? ` (${image.scanErrors.map((e) => e.code).join(', ')})` : '';
    return { sample, note: c ? `${c.fileCount} files, ${c.packages.length} packages, ${c.secrets.length} secrets, ${image!.scanErrors.length} scan errors${errors}` : 'no image contents', packages: c?.packages ?? [] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Trivy when scripts/peers/trivy-build.sh built it (go install leaves "Version: dev"; the module version says which). */
function trivyBinary(): string {
  const bin = join(toolsBin, 'trivy');
  if (!existsSync(bin)) return 'not built (bash scripts/peers/trivy-build.sh, about 20 minutes)';
  const info = spawnSync('go', ['version', '-m', bin], { encoding: 'utf8' });
  const version = /\bmod\s+github\.com\/aquasecurity\/trivy\s+(v\S+)/.exec(info.stdout ?? '')?.[1];
  return version ? `${bin}@${version}` : bin;
}

async function trivy(ref: string, scanners: string, runs: number): Promise<Sample | string> {
  const found = trivyBinary();
  if (!existsSync(found.split('@')[0]!)) return found;
  const bin = found.split('@')[0]!;
  return repeat(runs, async () => {
    // A fresh cache per run: Trivy caches layer analyses by digest, which would turn later runs into lookups.
    const cacheDir = await mkdtemp(join(tmpdir(), 'posture-bench-trivy-'));
    try {
      return await timed([bin, 'image', '--image-src', 'remote', '--insecure', '--scanners', scanners, '--skip-db-update', '--skip-java-db-update', '--skip-check-update', '--offline-scan', '--cache-dir', cacheDir, '--format', 'json', '--output', '/dev/null', '--quiet', ref]);
    } finally {
      await rm(cacheDir, { recursive: true, force: true });
    }
  }).catch((err: Error) => `failed: ${err.message.slice(0, 200)}`);
}

async function syft(ref: string, runs: number): Promise<Sample | string> {
  const bin = join(toolsBin, 'syft');
  if (!existsSync(bin)) return 'not built (bash scripts/peers/syft-build.sh builds it into .tools/bin)';
  return repeat(runs, () => timed([bin, 'scan', `registry:${ref}`, '-o', 'json=/dev/null', '-q'], { SYFT_REGISTRY_INSECURE_USE_HTTP: 'true', SYFT_CHECK_FOR_APP_UPDATE: 'false' })).catch(
    (err: Error) => `failed: ${err.message.slice(0, 200)}`,
  );
}

/** The rootfs image: the floor, posture, and the peers when built. */
async function throughputRun(host: string, big: BuiltImage, runs: number, peers: boolean): Promise<string[]> {
  const ref = `${host}/bench/rootfs:1`;
  const out: string[] = [];
  const floorRun = await repeat(runs, () => floor(host, 'bench/rootfs', '1', big));
  let note = '';
  const postureRun = await repeat(runs, async () => {
    const r = await postureScan(ref, host);
    note = r.note;
    return r.sample;
  });
  const rows: Row[] = [
    { name: 'floor: curl | gzip -dc (same blobs)', result: floorRun },
    { name: postureRow, result: postureRun },
  ];
  if (peers) {
    const trivyName = trivyBinary();
    const version = trivyName.includes('@') ? ` ${trivyName.split('@')[1]}` : '';
    rows.push({ name: `trivy${version} image --scanners secret`, result: await trivy(ref, 'secret', runs) });
    rows.push({ name: `trivy${version} image --scanners secret,misconfig`, result: await trivy(ref, 'secret,misconfig', runs) });
    rows.push({ name: 'syft scan (packages)', result: await syft(ref, runs) });
  }
  out.push(table('throughput', big, rows, floorRun), `posture found: ${note}`);
  const trivySecret = rows.find((r) => r.name.includes('--scanners secret') && !r.name.includes('misconfig'))?.result;
  if (trivySecret && typeof trivySecret !== 'string') out.push(`posture vs trivy --scanners secret: ${(trivySecret.wallS / postureRun.wallS).toFixed(2)}× faster (wall), ${(trivySecret.cpuS / postureRun.cpuS).toFixed(2)}× less CPU`);
  return out;
}

/** The large-files image: the floor, posture (with what it found against what the tools list), and syft. */
async function largeFilesRun(host: string, large: { image: BuiltImage; expected: Expected }, runs: number, peers: boolean): Promise<string[]> {
  const ref = `${host}/bench/large:1`;
  const floorRun = await repeat(runs, () => floor(host, 'bench/large', '1', large.image));
  let last: Awaited<ReturnType<typeof postureScan>> | undefined;
  const postureRun = await repeat(runs, async () => {
    last = await postureScan(ref, host);
    return last.sample;
  });
  const rows: Row[] = [
    { name: 'floor: curl | gzip -dc (same blobs)', result: floorRun },
    { name: postureRow, result: postureRun },
  ];
  if (peers) rows.push({ name: 'syft scan (packages)', result: await syft(ref, runs) });
  const found = (manager: string): string[] => [...new Set(last!.packages.filter((p) => p.manager === manager).map((p) => `${p.name}@${p.version}`))].sort();
  const compare = (label: string, manager: string, expected: string[]): string => {
    const got = found(manager);
    const missing = expected.filter((e) => !got.includes(e));
    const extra = got.filter((g) => !expected.includes(g));
    return `  ${label}: ${got.length} found, ${expected.length} expected${missing.length ? `; missing ${missing.slice(0, 5).join(', ')}` : ''}${extra.length ? `; not expected ${extra.slice(0, 5).join(', ')}` : ''}`;
  };
  return [
    table('large files', large.image, rows, floorRun),
    [
      `posture found: ${last!.note}`,
      compare('Go modules (go version -m)', 'go', large.expected.go),
      compare('Maven artifacts (written into the jar)', 'java', large.expected.java),
      compare('rpm packages (rpm -qa)', 'rpm', large.expected.rpm),
      `peak RSS ${postureRun.rssMB.toFixed(0)} MiB (largest of ${runs} runs)`,
    ].join('\n'),
  ];
}

function table(title: string, image: BuiltImage, rows: Row[], floorRow: Sample): string {
  const bytes = image.layers.reduce((n, l) => n + l.uncompressed, 0);
  const t = new Table({ head: ['run', 'wall s', 'MiB/s', 'CPU s', 'peak RSS MiB', 'throughput vs floor'], style: { head: [], border: [] } });
  for (const r of rows) {
    if (typeof r.result === 'string') t.push([r.name, { colSpan: 5, content: r.result }]);
    else t.push([r.name, r.result.wallS.toFixed(2), (bytes / MB / r.result.wallS).toFixed(0), r.result.cpuS.toFixed(2), r.result.rssMB.toFixed(0), `${(floorRow.wallS / r.result.wallS).toFixed(2)}×`]);
  }
  const compressed = image.layers.reduce((n, l) => n + l.size, 0);
  return `${title}: ${image.description}; ${image.layers.length} layer(s), ${(bytes / MB).toFixed(0)} MiB uncompressed, ${(compressed / MB).toFixed(0)} MiB compressed\n${t.toString()}`;
}

async function main(): Promise<void> {
  const runs = option('--runs', 3);
  const minMB = option('--min-mb', 200);
  const smallCount = option('--small-files', 400_000);
  const peers = !flag('--no-peers');
  const big = minMB > 0 ? await rootfsImage(minMB * MB, flag('--synthetic')) : undefined;
  const small = smallCount > 0 ? await smallFilesImage(smallCount) : undefined;
  const largeMB = option('--large-mb', 1100);
  const large = largeMB > 0 ? await largeFilesImage(largeMB) : undefined;
  const registry = await startRegistry({ kind: 'none' });
  const loadBefore = os.loadavg()[0]!;
  const out: string[] = [];
  try {
    const crane = await craneFor(registry.host);
    const host = registry.host;
    if (big) await crane('push', big.layout, `${host}/bench/rootfs:1`);
    if (small) await crane('push', small.layout, `${host}/bench/small:1`);
    if (large) await crane('push', large.image.layout, `${host}/bench/large:1`);
    // One unmeasured posture run: builds the CLI bundle if stale and warms V8's compile cache.
    await postureScan(`${host}/bench/${big ? 'rootfs' : small ? 'small' : 'large'}:1`, host);
    if (big) out.push(...(await throughputRun(host, big, runs, peers)));

    if (small) {
      const smallRef = `${host}/bench/small:1`;
      const smallFloor = await repeat(runs, () => floor(host, 'bench/small', '1', small));
      const smallTar = await repeat(runs, () => floor(host, 'bench/small', '1', small, tarStreamSink));
      let smallNote = '';
      const smallPosture = await repeat(runs, async () => {
        const r = await postureScan(smallRef, host);
        smallNote = r.note;
        return r.sample;
      });
      const perEntry = (a: Sample, b: Sample): string =>
        `${(((a.wallS - b.wallS) / smallCount) * 1e6).toFixed(2)} µs wall, ${(((a.cpuS - b.cpuS) / smallCount) * 1e6).toFixed(2)} µs CPU`;
      out.push(
        table('per entry', small, [
          { name: 'floor: curl | gzip -dc (same blobs)', result: smallFloor },
          { name: 'curl | node: gunzip + tar-stream, empty handler', result: smallTar },
          { name: postureRow, result: smallPosture },
        ], smallFloor),
        `posture found: ${smallNote}`,
        `cost per tar entry above the floor: ${perEntry(smallPosture, smallFloor)} (the CLI's start-up and the policy evaluation included); peak RSS ${smallPosture.rssMB.toFixed(0)} MiB\n` +
          `  of which Node's gunzip and tar-stream alone (node start-up included): ${perEntry(smallTar, smallFloor)}; posture above them: ${perEntry(smallPosture, smallTar)}`,
      );
    }
    if (large) out.push(...(await largeFilesRun(host, large, runs, peers)));
  } finally {
    await registry.stop();
  }
  const cpus = os.cpus();
  process.stdout.write(
    `image bench: ${cpus.length}× ${cpus[0]?.model ?? 'cpu'}, Node.js ${process.version}, load average ${loadBefore.toFixed(1)} before / ${os.loadavg()[0]!.toFixed(1)} after; median of ${runs} runs; registry ${join(toolsBin, 'registry')} on loopback\n\n${out.join('\n\n')}\n`,
  );
}

await main();
