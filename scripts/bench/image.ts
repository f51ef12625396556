// Benchmark: pull + analyze a ≥200 MB image from a real local registry, against the floor of merely
// downloading and gunzipping the same layers, and against Trivy when it can be installed.
//   npx tsx scripts/bench/image.ts [--synthetic] [--min-mb 200]
// The rootfs is a debootstrap minbase (cached in .cache/) when debootstrap is available, else a
// synthesized tree of realistic files; each measurement runs in its own process so peak RSS is its own.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { request } from 'undici';
import { collectRegistryImage } from '../../providers/oci/index.ts';
import { craneFor } from '../../test/oci/support/crane.ts';
import { tarOfDirectory, writeLayer, type LayerFile } from './layer-files.ts';
import { startRegistry, toolsBin } from '../../test/oci/support/registry-server.ts';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const cache = join(root, '.cache');
const MB = 1024 * 1024;

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

async function buildImage(minBytes: number, synthetic: boolean): Promise<{ layout: string; layers: LayerFile[]; rootfs: string }> {
  const work = join(cache, 'bench-image');
  await rm(work, { recursive: true, force: true });
  const blobs = join(work, 'layout', 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const layers: LayerFile[] = [];
  let rootfs = 'synthesized';
  const deb = synthetic ? null : await debootstrapRootfs();
  if (deb) {
    layers.push(await writeLayer(tarOfDirectory(deb), join(work, 'layer0')));
    rootfs = 'debootstrap bookworm minbase';
  }
  const have = layers.reduce((n, l) => n + l.uncompressed, 0);
  if (have < minBytes) {
    layers.push(await writeLayer(synthesizedTar(minBytes - have), join(work, `layer${layers.length}`)));
    if (deb) rootfs += ' + synthesized top-up';
  }
  for (const l of layers) await rename(l.path, join(blobs, l.digest.slice(7)));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', created: new Date(0).toISOString(), config: { Cmd: ['/bin/bash'] }, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }));
  const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
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
  return { layout: join(work, 'layout'), layers, rootfs };
}

interface Measurement {
  seconds: number;
  maxRssMB: number;
  uncompressedBytes: number;
  note?: string;
}

/** Child-process modes: each measurement gets a fresh process so its peak RSS is its own. */
async function measure(mode: string, ref: string): Promise<Measurement> {
  const started = process.hrtime.bigint();
  let bytes = 0;
  let note: string | undefined;
  const host = ref.split('/')[0]!;
  if (mode === 'posture') {
    const [asset] = await collectRegistryImage(`oci://${ref}`, { insecureHosts: [host] });
    bytes = asset!.image.contents?.uncompressedBytes ?? 0;
    const c = asset!.image.contents!;
    note = `${c.fileCount} files, ${c.packages.length} packages, ${c.secrets.length} secrets, ${asset!.image.scanErrors.length} scan errors`;
  } else {
    const [repoPath, tag] = ref.slice(host.length + 1).split(':');
    const res = await request(`http://${host}/v2/${repoPath}/manifests/${tag}`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    const manifest = (await res.body.json()) as { layers: { digest: string }[] };
    for (const layer of manifest.layers) {
      const blob = await request(`http://${host}/v2/${repoPath}/blobs/${layer.digest}`);
      const sink = new PassThrough();
      sink.on('data', (c: Buffer) => (bytes += c.length));
      await pipeline(blob.body, createGunzip(), sink);
    }
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, maxRssMB: process.resourceUsage().maxRSS / 1024, uncompressedBytes: bytes, ...(note ? { note } : {}) };
}

function runChild(mode: string, ref: string): Promise<Measurement> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, '--measure', mode, ref], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? res(JSON.parse(out) as Measurement) : rej(new Error(`${mode} measurement exited ${code}`))));
  });
}

async function trivy(ref: string): Promise<Measurement | string> {
  const bin = join(toolsBin, 'trivy');
  if (!existsSync(bin)) {
    const r = spawnSync('go', ['install', 'github.com/aquasecurity/trivy/cmd/trivy@v0.58.2'], { env: { ...process.env, GOBIN: toolsBin, GOFLAGS: '-mod=mod' }, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) return `not installable from the Go module proxy (${(r.stderr.split('\n').find((l) => /403|not available|error/i.test(l)) ?? 'go install failed').trim()})`;
  }
  const cacheDir = join(cache, 'trivy-cache');
  const started = process.hrtime.bigint();
  try {
    await run(bin, ['image', '--image-src', 'remote', '--insecure', '--scanners', 'secret,misconfig', '--skip-db-update', '--skip-java-db-update', '--skip-check-update', '--offline-scan', '--cache-dir', cacheDir, '--quiet', ref]);
  } catch (err) {
    return `failed: ${(err as Error).message.split('\n')[0]}`;
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, maxRssMB: NaN, uncompressedBytes: NaN };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--measure') {
    process.stdout.write(JSON.stringify(await measure(args[1]!, args[2]!)));
    return;
  }
  const minMB = Number(args[args.indexOf('--min-mb') + 1]) || 200;
  const built = await buildImage(minMB * MB, args.includes('--synthetic'));
  const total = built.layers.reduce((n, l) => n + l.uncompressed, 0);
  const compressed = built.layers.reduce((n, l) => n + l.size, 0);
  const registry = await startRegistry({ kind: 'none' });
  try {
    const crane = await craneFor(registry.host);
    await crane('push', built.layout, `${registry.host}/bench/rootfs:1`);
    const ref = `${registry.host}/bench/rootfs:1`;
    const floor = await runChild('floor', ref);
    const posture = await runChild('posture', ref);
    const t = await trivy(ref);
    const row = (name: string, m: Measurement, vs: string): string =>
      `| ${name.padEnd(34)} | ${m.seconds.toFixed(2).padStart(7)} | ${(total / MB / m.seconds).toFixed(1).padStart(7)} | ${Number.isNaN(m.maxRssMB) ? '    n/a' : m.maxRssMB.toFixed(0).padStart(7)} | ${vs.padStart(9)} |`;
    const lines = [
      `image: ${built.rootfs}; ${built.layers.length} layer(s), ${(total / MB).toFixed(1)} MB uncompressed, ${(compressed / MB).toFixed(1)} MB compressed; registry ${toolsBin}/registry on loopback`,
      '',
      '| run                                | wall s  | MB/s    | peak RSS MB | vs floor |',
      '|------------------------------------|---------|---------|-------------|----------|',
      row('floor: download + gunzip only', floor, '1.00x'),
      row('posture: pull + analyze', posture, `${(posture.seconds / floor.seconds).toFixed(2)}x`),
      typeof t === 'string' ? `| trivy image (secret,misconfig)     | ${t} |` : row('trivy image (secret,misconfig)', t, `${(t.seconds / floor.seconds).toFixed(2)}x`),
      '',
      `posture found: ${posture.note ?? ''}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await registry.stop();
  }
}

await main();
