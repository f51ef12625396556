// Every hostile case of issue 11, run through the CLI as a user runs it (a fresh `node bin/posture.js`
// process each, start-up included), against a hostile registry stand-in and hostile files made here.
// Prints one row per case: what happened, whether that is the expected outcome, the exit code, wall
// time and peak RSS of the CLI process (its own process.resourceUsage(), reported at exit).
//   npm run bench:hostile [-- --only deep] [-- --cli <checkout> --timeout <s>]
// `--cli` runs another checkout's bin/posture.js (e.g. an older main, to show what it did with each case;
// settings it does not know are left out) and `--timeout` stops a case that hangs.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { zstdCompressSync } from 'node:zlib';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { fakeAwsKeyId, fakePrivateKey } from '../../test/oci/support/fixtures.ts';
import { imageConfig, manifestFor, startHostileRegistry, type HostileRegistry } from '../../test/oci/support/hostile-registry.ts';
import { motoCredentials, startMoto, type MotoServer } from '../../test/standins/moto.ts';
import { buildLayer, layerFromTar, sha256, tarOf, type BuiltLayer } from '../../test/oci/support/layers.ts';

const root = path.resolve(import.meta.dirname, '../..');
const usagePreload = path.join(root, 'scripts/bench/lib/report-usage.mjs');
const work = mkdtempSync(path.join(tmpdir(), 'posture-bench-hostile-'));
const arg = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const only = arg('--only');
const cliRoot = path.resolve(arg('--cli') ?? root);
const baseline = cliRoot !== root;
const timeoutS = Number(arg('--timeout') ?? 900);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  wallS: number;
  rssMiB: number;
}

interface Case {
  name: string;
  /** The CLI arguments after `posture` (set up lazily: fixtures are built only for cases that run). */
  args: () => Promise<string[]>;
  env?: Record<string, string>;
  /** Says what happened and whether it is what the issue asks for. */
  judge: (run: Run) => { outcome: string; ok: boolean };
}

async function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const usageFile = path.join(work, `usage-${Math.random().toString(36).slice(2)}.json`);
  const started = performance.now();
  // An older checkout does not know the settings files these cases use: run it without them.
  const used = baseline ? args.filter((a, i) => a !== '--config' && args[i - 1] !== '--config') : args;
  const child = spawn(process.execPath, ['--import', usagePreload, path.join(cliRoot, 'bin/posture.js'), ...used], {
    cwd: work,
    env: { ...process.env, ...env, POSTURE_USAGE_FILE: usageFile, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
  const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? -9 : -1))));
  clearTimeout(killer);
  const wallS = (performance.now() - started) / 1000;
  let rssMiB = Number.NaN;
  try {
    rssMiB = (JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKiB: number }).maxRssKiB / 1024;
  } catch {
    // the process died before reporting
  }
  return { code, stdout, stderr, wallS, rssMiB };
}

const json = (run: Run): { assets: { id: string; image?: { scanErrors: { code: string; message: string }[] } }[]; findings: { ruleId: string; severity: string }[]; errors: { message: string }[] } | null => {
  try {
    return JSON.parse(run.stdout) as never;
  } catch {
    return null;
  }
};
const severityOf = (run: Run, ruleId: string): string => json(run)?.findings.find((f) => f.ruleId === ruleId)?.severity ?? 'missing';
const codesOf = (run: Run): string[] => json(run)?.assets.flatMap((a) => a.image?.scanErrors.map((e) => e.code) ?? []) ?? [];

let registry: HostileRegistry;
let moto: MotoServer | undefined;
const username = 'bench-user';
const password = 'B3nch-s3cret/+=pw';
const basic = Buffer.from(`${username}:${password}`).toString('base64');
const dockerDir = path.join(work, 'docker');
const scanArgs = (...rest: string[]): string[] => ['scan', '--insecure-registry', registry?.host ?? '', '--no-history', '--format', 'json', ...rest];
const shortDeadlines = (): string => {
  const file = path.join(work, 'short-deadlines.yaml');
  writeFileSync(file, 'imageScan:\n  deadlines:\n    manifestSeconds: 5\n    blobSeconds: 5\n    imageSeconds: 20\n');
  return file;
};
const osRelease = { path: 'etc/os-release', content: 'ID=debian\n' };
const foundSecret = 'Bench-Found-DB-Pa55word';
const echoState = path.join(work, 'echo-state.db');
/** Every row of every table of a SQLite file, as text. */
function dumpSqlite(file: string): string {
  if (!existsSync(file)) return '';
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t.name}"`).all())).join('\n');
  } finally {
    db.close();
  }
}
const filesText = (dir: string): string =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => readFileSync(path.join(e.parentPath, e.name)).toString('latin1'))
        .join('\n')
    : '';

async function deepLayer(entries: number): Promise<BuiltLayer> {
  // Each entry ~2,000 levels deep, all different at the top (the shape of the issue's 178 KB layer).
  return buildLayer(Array.from({ length: entries }, (_, i) => ({ path: `d${i}/${'a/'.repeat(1_990)}f`, content: '' })));
}

const cases: Case[] = [
  {
    name: 'blob digest mismatch (valid gzip)',
    args: async () => {
      const layer = await buildLayer([osRelease, { path: 'data', content: Buffer.alloc(30_000, 7) }]);
      const tampered = Buffer.from(layer.blob);
      tampered[4] = tampered[4]! ^ 0xff;
      registry.image('evil/tampered', '1', [layer]);
      registry.on(`/v2/evil/tampered/blobs/${layer.digest}`, { kind: 'bytes', body: tampered });
      registry.image('good/app', '1', [await buildLayer([osRelease])]);
      return scanArgs(`oci://${registry.host}/evil/tampered:1`, `oci://${registry.host}/good/app:1`);
    },
    judge: (r) => ({ outcome: `scan error ${codesOf(r).join(',')}; ${json(r)?.assets.length ?? 0} images reported`, ok: r.code === 3 && codesOf(r).join() === 'digest-mismatch' && json(r)?.assets.length === 2 }),
  },
  {
    name: 'blob digest mismatch + gzip broken mid-stream',
    args: async () => {
      const layer = await buildLayer([osRelease, { path: 'data', content: Buffer.alloc(60_000, 3) }]);
      // Intact gzip header, then 0xff bytes (a deflate block of the reserved type): the decoder fails before the digest is known.
      const broken = Buffer.concat([layer.blob.subarray(0, 10), Buffer.alloc(layer.blob.length - 10, 0xff)]);
      registry.image('evil/broken', '1', [layer]);
      registry.on(`/v2/evil/broken/blobs/${layer.digest}`, { kind: 'bytes', body: broken });
      registry.image('good/app', '1', [await buildLayer([osRelease])]);
      return scanArgs(`oci://${registry.host}/evil/broken:1`, `oci://${registry.host}/good/app:1`);
    },
    judge: (r) => ({
      outcome: `scan error ${codesOf(r).join(',')}; ${json(r)?.assets.length ?? 0} images reported`,
      ok: r.code === 3 && codesOf(r).length === 1 && ['digest-mismatch', 'layer-corrupt'].includes(codesOf(r)[0]!) && json(r)?.assets.length === 2,
    }),
  },
  {
    name: 'broken layer (not gzip, digest matches), --fail-on high',
    args: async () => {
      const junk = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.alloc(50_000, 0xaa)]);
      const cfg = imageConfig([await buildLayer([osRelease])]);
      registry.blob(cfg);
      registry.blob(junk);
      registry.manifest('evil/gzip', manifestFor(cfg, [{ digest: sha256(junk), size: junk.length, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }]), 'application/vnd.oci.image.manifest.v1+json', '1');
      return scanArgs('--fail-on', 'high', `oci://${registry.host}/evil/gzip:1`);
    },
    // Exit 3 (an input could not be read) outranks 1 (cli/exit-codes.ts); the gate fails either way.
    judge: (r) => ({
      outcome: `scan error ${codesOf(r).join(',')}; IMG-014 ${severityOf(r, 'IMG-014')}; gate fails`,
      ok: r.code === 3 && codesOf(r).join() === 'layer-corrupt' && severityOf(r, 'IMG-014') === 'high',
    }),
  },
  {
    name: 'blob sent one byte every 2 s (blob deadline 5 s)',
    args: async () => {
      const layer = await buildLayer([osRelease, { path: 'data', content: Buffer.alloc(40_000, 1) }]);
      registry.image('slow/blob', '1', [layer]);
      registry.on(`/v2/slow/blob/blobs/${layer.digest}`, { kind: 'drip', intervalMs: 2_000 });
      return scanArgs('--config', shortDeadlines(), `oci://${registry.host}/slow/blob:1`);
    },
    judge: (r) => ({ outcome: `scan error ${codesOf(r).join(',')}`, ok: r.code === 3 && codesOf(r).join() === 'timeout' && r.wallS < 30 }),
  },
  {
    name: 'manifest sent one byte every 2 s (manifest deadline 5 s)',
    args: async () => {
      registry.on('/v2/slow/manifest/manifests/1', { kind: 'drip', intervalMs: 2_000 });
      return scanArgs('--config', shortDeadlines(), `oci://${registry.host}/slow/manifest:1`);
    },
    judge: (r) => ({ outcome: (json(r)?.errors[0]?.message ?? r.stderr).replace(/^.*: (manifest .*)$/s, '$1').slice(0, 70), ok: r.code === 3 && /not finished within the 5 s deadline/.test(r.stdout) }),
  },
  {
    name: 'deep-path layer, 3,000 entries x 2,000 levels',
    args: async () => {
      registry.image('evil/deep', '1', [await deepLayer(3_000)]);
      return scanArgs(`oci://${registry.host}/evil/deep:1`);
    },
    judge: (r) => ({ outcome: `scan error ${codesOf(r).join(',')}`, ok: r.code === 3 && codesOf(r).join() === 'tree-limit' }),
  },
  {
    name: 'hostile layer of 50,000 deep entries (<512 MB)',
    args: async () => {
      registry.image('evil/deep50k', '1', [await deepLayer(50_000)]);
      return scanArgs(`oci://${registry.host}/evil/deep50k:1`);
    },
    judge: (r) => ({ outcome: `scan error ${codesOf(r).join(',')}`, ok: r.code === 3 && codesOf(r).join() === 'tree-limit' && r.rssMiB < 512 }),
  },
  {
    name: 'layer of 50,000 files in 500 dirs (<512 MB)',
    args: async () => {
      registry.image('evil/wide', '1', [await buildLayer(Array.from({ length: 50_000 }, (_, i) => ({ path: `srv/d${i % 500}/${'n'.repeat(100)}${i}`, content: 'x' })))]);
      return scanArgs(`oci://${registry.host}/evil/wide:1`);
    },
    judge: (r) => ({ outcome: `${json(r)?.assets.length ?? 0} image, scan errors [${codesOf(r).join(',')}]`, ok: r.code === 0 && codesOf(r).length === 0 && r.rssMiB < 512 }),
  },
  {
    name: 'gzip bomb, 512 MiB of zeros in ~0.5 MB',
    args: async () => {
      const bomb = layerFromTar(await tarOf([{ path: 'zeros', content: Buffer.alloc(512 * 1024 * 1024) }]));
      registry.image('evil/bomb', '1', [bomb]);
      const file = path.join(work, 'bomb.yaml');
      writeFileSync(file, 'imageScan:\n  limits:\n    maxUncompressedBytes: 268435456\n');
      return scanArgs('--config', file, `oci://${registry.host}/evil/bomb:1`);
    },
    judge: (r) => ({ outcome: `scan error ${codesOf(r).join(',')} (cap 256 MiB)`, ok: r.code === 3 && codesOf(r).join() === 'uncompressed-limit' }),
  },
  {
    name: 'blob redirect to an origin asking for Bearer creds',
    args: async () => {
      const layer = await buildLayer([osRelease]);
      registry.image('private/redirect', '1', [layer]);
      registry.on(`/v2/private/redirect/blobs/${layer.digest}`, { kind: 'redirect', location: `http://${registry.elsewhere}/storage/blob` });
      registry.onElsewhere('/storage/blob', { kind: 'answer', status: 401, headers: { 'www-authenticate': `Bearer realm="http://${registry.elsewhere}/token"` }, body: () => '{}' });
      registry.onElsewhere('/token', { kind: 'answer', status: 200, body: () => '{"token":"x"}' });
      return ['scan', '--insecure-registry', registry.host, registry.elsewhere, '--no-history', '--format', 'json', `oci://${registry.host}/private/redirect:1`];
    },
    env: { DOCKER_CONFIG: dockerDir },
    judge: (r) => {
      const seen = JSON.stringify(registry.requests.filter((q) => q.origin === 'elsewhere'));
      const leaked = seen.includes(basic) || seen.includes(password);
      return { outcome: `scan error ${codesOf(r).join(',')}; credentials seen elsewhere: ${leaked ? 'YES' : 'none'}`, ok: r.code === 3 && !leaked && codesOf(r).join() === 'registry-unauthorized' };
    },
  },
  {
    name: 'error body echoing the credentials, every form',
    args: async () => {
      const layer = await buildLayer([osRelease]);
      registry.image('private/echo', '1', [layer]);
      registry.on(`/v2/private/echo/blobs/${layer.digest}`, { kind: 'answer', status: 403, body: (req) => `${'z'.repeat(280)} ${String(req.headers.authorization)} ${basic.toLowerCase()} ${encodeURIComponent(password)} ${password}` });
      // A configured publisher makes the scan queue its ticket changes (IMG-014 quoting the error) in the SQLite outbox.
      const config = path.join(work, 'echo.yaml');
      writeFileSync(config, 'publish:\n  webhook:\n    url: https://grc.example.invalid/hook\n    secret: { env: BENCH_HOOK_SECRET }\n');
      return scanArgs('--config', config, '--state', echoState, `oci://${registry.host}/private/echo:1`);
    },
    env: { DOCKER_CONFIG: dockerDir, BENCH_HOOK_SECRET: 'bench-hook-secret' },
    judge: (r) => {
      const forms = [password, basic, encodeURIComponent(password)].map((f) => f.toLowerCase());
      const leakedOut = forms.some((f) => `${r.stdout}${r.stderr}`.toLowerCase().includes(f));
      const outbox = dumpSqlite(echoState).toLowerCase();
      const leakedOutbox = forms.some((f) => outbox.includes(f));
      return {
        outcome: `exit ${r.code}; credential in stdout/stderr: ${leakedOut ? 'YES' : 'none'}, in the SQLite outbox: ${leakedOutbox ? 'YES' : 'none'}`,
        ok: r.code === 3 && !leakedOut && !leakedOutbox && r.stdout.includes('[redacted]') && outbox.includes('img-014'),
      };
    },
  },
  {
    name: 'zstd layer with a private key, --fail-on high',
    args: async () => {
      const tar = await tarOf([osRelease, { path: 'root/.ssh/id_rsa', content: fakePrivateKey }]);
      const blob = zstdCompressSync(tar);
      registry.image('zstd/key', '1', [{ ...layerFromTar(tar), blob, digest: sha256(blob), mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' }]);
      return scanArgs('--fail-on', 'high', `oci://${registry.host}/zstd/key:1`);
    },
    judge: (r) => ({ outcome: `IMG-002 ${json(r)?.findings.find((f) => f.ruleId === 'IMG-002')?.severity ?? 'missing'}`, ok: r.code === 1 && !!json(r)?.findings.some((f) => f.ruleId === 'IMG-002') }),
  },
  {
    name: '300 layers, --fail-on high',
    args: async () => {
      const tiny = await buildLayer([osRelease]);
      const cfg = imageConfig(Array.from({ length: 300 }, () => tiny));
      registry.blob(cfg);
      registry.blob(tiny.blob);
      registry.manifest('evil/layers', manifestFor(cfg, Array.from({ length: 300 }, () => ({ digest: tiny.digest, size: tiny.blob.length, mediaType: tiny.mediaType }))), 'application/vnd.oci.image.manifest.v1+json', '1');
      return scanArgs('--fail-on', 'high', `oci://${registry.host}/evil/layers:1`);
    },
    judge: (r) => ({ outcome: `IMG-014 ${json(r)?.findings.find((f) => f.ruleId === 'IMG-014')?.severity ?? 'missing'}; gate fails`, ok: r.code !== 0 && json(r)?.findings.find((f) => f.ruleId === 'IMG-014')?.severity === 'high' }),
  },
  {
    name: 'AWS key at absolute path /root/.aws/credentials',
    args: async () => {
      registry.image('abs/key', '1', [await buildLayer([osRelease, { path: '/root/.aws/credentials', content: `aws_access_key_id = ${fakeAwsKeyId}\n` }])]);
      return scanArgs(`oci://${registry.host}/abs/key:1`);
    },
    judge: (r) => ({ outcome: `IMG-002 ${json(r)?.findings.find((f) => f.ruleId === 'IMG-002')?.severity ?? 'missing'}`, ok: json(r)?.findings.find((f) => f.ruleId === 'IMG-002')?.severity === 'critical' }),
  },
  {
    name: 'credential in an image ENV: stored form',
    args: async () => {
      registry.image('leaky/env', '1', [await buildLayer([osRelease])], { config: { Env: ['PATH=/usr/bin', `DB_PASSWORD=${foundSecret}`] } });
      return ['scan', '--insecure-registry', registry.host, '--history-dir', path.join(work, 'history'), '--format', 'json', `oci://${registry.host}/leaky/env:1`];
    },
    judge: (r) => {
      const history = filesText(path.join(work, 'history'));
      const clear = [r.stdout, r.stderr, history].some((t) => t.includes(foundSecret));
      return { outcome: `IMG-002 ${json(r)?.findings.find((f) => f.ruleId === 'IMG-002')?.severity ?? 'missing'}; value in report/history: ${clear ? 'YES' : 'hash only'}`, ok: !clear && r.stdout.includes('[redacted:hmac-sha256:') };
    },
  },
  {
    name: 'evidence bundle of a history holding that credential',
    args: async () => {
      // The history the case above wrote (scanned here if that case was left out with --only).
      if (!existsSync(path.join(work, 'history'))) {
        registry.image('leaky/env', '1', [await buildLayer([osRelease])], { config: { Env: ['PATH=/usr/bin', `DB_PASSWORD=${foundSecret}`] } });
        await cli(['scan', '--insecure-registry', registry.host, '--history-dir', path.join(work, 'history'), '--format', 'json', `oci://${registry.host}/leaky/env:1`]);
      }
      return ['evidence', '--from', '2000-01-01', '--to', '2100-01-01', '--out', path.join(work, 'evidence'), '--history-dir', path.join(work, 'history')];
    },
    judge: (r) => {
      const bundle = filesText(path.join(work, 'evidence'));
      const clear = bundle.includes(foundSecret) || r.stdout.includes(foundSecret) || r.stderr.includes(foundSecret);
      return { outcome: `bundle of ${bundle.length} bytes; value in bundle: ${clear ? 'YES' : bundle.includes('[redacted:hmac-sha256:') ? 'hash only' : 'absent'}`, ok: r.code === 0 && !clear && bundle.includes('[redacted:hmac-sha256:') };
    },
  },
  {
    name: 'private registry through a docker credential helper',
    args: async () => {
      registry.image('private/helper', '1', [await buildLayer([osRelease])]);
      return scanArgs(`oci://${registry.host}/private/helper:1`);
    },
    env: { DOCKER_CONFIG: path.join(work, 'docker-helper'), PATH: `${path.join(work, 'helper-bin')}${path.delimiter}${process.env.PATH ?? ''}` },
    judge: (r) => ({ outcome: `${json(r)?.assets.length ?? 0} image analysed, ${json(r)?.errors.length ?? '?'} errors`, ok: r.code === 0 && json(r)?.assets.length === 1 && json(r)?.errors.length === 0 }),
  },
  {
    name: 'index listing one manifest 5,000 times',
    args: async () => {
      const pushed = registry.image('multi/dup', 'single', [await buildLayer([osRelease])]);
      const entry = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: pushed.manifestDigest, size: pushed.manifest.length, platform: { os: 'linux', architecture: 'amd64' } };
      registry.manifest('multi/dup', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: Array.from({ length: 5_000 }, () => entry) })), 'application/vnd.oci.image.index.v1+json', 'dup');
      return scanArgs('--all-platforms', `oci://${registry.host}/multi/dup:dup`);
    },
    judge: (r) => ({ outcome: `${json(r)?.assets.length ?? 0} asset(s), scan errors [${codesOf(r).join(',')}]`, ok: json(r)?.assets.length === 1 }),
  },
  {
    name: 'gzipped docker save, 200 layers (~1 MB)',
    args: async () => {
      const dir = path.join(work, 'save');
      mkdirSync(dir, { recursive: true });
      const tars = await Promise.all(Array.from({ length: 200 }, (_, i) => tarOf([{ path: `data/${i}.txt`, content: `layer ${i}\n`.repeat(40_000) }])));
      const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: tars.map(sha256) } }));
      writeFileSync(path.join(dir, 'config.json'), config);
      tars.forEach((t, i) => writeFileSync(path.join(dir, `l${i}.tar`), t));
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: ['shop/many:1'], Layers: tars.map((_, i) => `l${i}.tar`) }]));
      execFileSync('tar', ['-czf', path.join(work, 'save.tar.gz'), '-C', dir, '.']);
      return ['scan', '--no-history', '--format', 'json', path.join(work, 'save.tar.gz')];
    },
    judge: (r) => ({ outcome: `${json(r)?.assets[0]?.image ? 'analysed' : 'not analysed'}, scan errors [${codesOf(r).join(',')}]`, ok: r.code === 0 && codesOf(r).length === 0 }),
  },
  {
    name: 'directory: FIFO, socket, dangling link, loop, escape',
    args: async () => {
      const dir = path.join(work, 'estate');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'eks.json'), readFileSync(path.join(root, 'samples/aws/eks-cluster-analytics.json')));
      writeFileSync(path.join(work, 'outside.json'), 'root:$6$secret-hash:19000::::::\n');
      symlinkSync(path.join(work, 'outside.json'), path.join(dir, 'escape.json'));
      symlinkSync(path.join(dir, 'gone.json'), path.join(dir, 'dangling.json'));
      symlinkSync('loop-b.json', path.join(dir, 'loop-a.json'));
      symlinkSync('loop-a.json', path.join(dir, 'loop-b.json'));
      execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
      const server = createServer();
      await new Promise<void>((r) => server.listen(path.join(dir, 'agent.sock'), r));
      server.unref();
      return ['scan', '--no-history', '--format', 'json', dir];
    },
    judge: (r) => {
      const report = json(r);
      const leaked = `${r.stdout}${r.stderr}`.includes('secret-hash');
      return { outcome: `${report?.assets.length ?? 0} asset, ${report?.errors.length ?? 0} named; escape content shown: ${leaked ? 'YES' : 'no'}`, ok: r.code === 3 && report?.assets.length === 1 && report.errors.length === 6 && !leaked };
    },
  },
  {
    name: 'JSON with a UTF-8 BOM',
    args: async () => {
      const file = path.join(work, 'bom.json');
      writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(path.join(root, 'samples/aws/eks-cluster-analytics.json'))]));
      return ['scan', '--no-history', '--format', 'json', file];
    },
    judge: (r) => ({ outcome: `${json(r)?.assets.length ?? 0} asset, ${json(r)?.errors.length ?? '?'} errors`, ok: r.code === 0 && json(r)?.assets.length === 1 }),
  },
  {
    name: 'tar that is not an image',
    args: async () => {
      const dir = path.join(work, 'notes');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'cluster.json'), '{}');
      execFileSync('tar', ['-cf', path.join(work, 'notes.tar'), '-C', dir, 'cluster.json']);
      return ['scan', '--no-history', '--format', 'json', path.join(work, 'notes.tar')];
    },
    judge: (r) => ({
      outcome: (json(r)?.errors[0]?.message ?? r.stderr).replace(/^.*notes\.tar: /s, '').slice(0, 70),
      ok: r.code === 3 && /notes\.tar: not a container image: neither an OCI image layout/.test(r.stdout),
    }),
  },
  {
    name: 'JSON nested 100,000 levels',
    args: async () => {
      const file = path.join(work, 'deep.json');
      const text = readFileSync(path.join(root, 'samples/aws/ecs-task-definition-web.json'), 'utf8');
      writeFileSync(file, text.replace('"taskDefinition": {', `"taskDefinition": {"deep": ${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}, `));
      return ['scan', '--no-history', '--format', 'json', file];
    },
    judge: (r) => ({ outcome: (json(r)?.errors[0]?.message ?? r.stderr).replace(/^.*deep\.json: /s, '').slice(0, 60), ok: r.code === 3 && /nested deeper than 100 levels/.test(r.stdout) }),
  },
  {
    name: 'terminal escapes in names and error bodies',
    args: async () => {
      const eks = JSON.parse(readFileSync(path.join(root, 'samples/aws/eks-cluster-analytics.json'), 'utf8')) as { cluster: { name: string } };
      eks.cluster.name = 'prod\u001b]0;owned\u0007\u001b[2J\u009b31m';
      writeFileSync(path.join(work, 'escapes.json'), JSON.stringify(eks));
      registry.on('/v2/evil/noisy/manifests/1', { kind: 'answer', status: 500, body: () => 'boom \u001b[1A\u001b[2KNo findings' });
      return ['scan', '--insecure-registry', registry.host, '--no-history', path.join(work, 'escapes.json'), `oci://${registry.host}/evil/noisy:1`];
    },
    judge: (r) => {
      const raw = /[\u001b\u0007\u009b]/.test(`${r.stdout}${r.stderr}`);
      return { outcome: `raw control characters on the terminal: ${raw ? 'YES' : 'none'}`, ok: !raw && r.stdout.includes('\\x1b') };
    },
  },
  {
    name: '--aws --regions eu-west-1,us-east-1 (moto)',
    args: async () => {
      moto = await startMoto();
      for (const [region, repositoryName] of [['eu-west-1', 'shop/api'], ['us-east-1', 'shop/batch']] as const) {
        await new ECRClient({ ...moto.clientConfig, region }).send(new CreateRepositoryCommand({ repositoryName }));
      }
      const config = path.join(work, 'aws.yaml');
      writeFileSync(config, `aws:\n  homeRegion: eu-west-1\n  imagesPerRepository: 0\n  endpoints:\n${['sts', 'ec2', 'ecr', 'ecs', 'eks'].map((s) => `    ${s}: ${moto!.endpoint}\n`).join('')}`);
      return ['scan', '--no-history', '--format', 'json', '--aws', '--regions', 'eu-west-1,us-east-1', '--config', config];
    },
    env: { AWS_ACCESS_KEY_ID: motoCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: motoCredentials.secretAccessKey, AWS_REGION: 'eu-west-1' },
    judge: (r) => {
      const scopes = ((json(r) as { scopes?: { key: string }[] } | null)?.scopes ?? []).map((s) => s.key.split('/').pop()).sort();
      // moto lacks some APIs the collectors call (a recorded collection error, exit 3); a usage error would be 2.
      // The AWS SDK warns on stderr when the Node.js it runs on is near its end of support (issue 14): none here.
      const warned = /Warning/.test(r.stderr);
      return { outcome: `scopes: ${scopes.join(', ') || 'none'}; warnings on stderr: ${warned ? 'YES' : 'none'}`, ok: r.code !== 2 && scopes.join() === 'eu-west-1,us-east-1' && !warned };
    },
  },
  {
    name: '--aws --regions eu-west-1,bad_region',
    args: async () => ['scan', '--no-history', '--aws', '--regions', 'eu-west-1,bad_region'],
    judge: (r) => ({ outcome: r.stderr.split('\n').slice(0, 2).join(' ').slice(0, 70), ok: r.code === 2 }),
  },
  {
    name: 'posture evidence without options',
    args: async () => ['evidence'],
    judge: (r) => ({ outcome: r.stderr.trim().slice(0, 70), ok: r.code === 2 && /evidence needs --from, --to, --out/.test(r.stderr) }),
  },
];

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  registry = await startHostileRegistry({ basic: { username, password } });
  mkdirSync(dockerDir, { recursive: true });
  writeFileSync(path.join(dockerDir, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: basic } } }));
  process.env.DOCKER_CONFIG = dockerDir;
  // A credential helper in the docker protocol (as docker-credential-<name> on PATH) that knows this registry only.
  mkdirSync(path.join(work, 'helper-bin'), { recursive: true });
  mkdirSync(path.join(work, 'docker-helper'), { recursive: true });
  const helper = path.join(work, 'helper-bin', 'docker-credential-bench');
  writeFileSync(
    helper,
    `#!/bin/sh\n[ "$1" = get ] || exit 1\nread -r server\n[ "$server" = "${registry.host}" ] || { echo "credentials not found in native keychain"; exit 1; }\nprintf '%s' '{"ServerURL":"${registry.host}","Username":"${username}","Secret":"${password}"}'\n`,
  );
  chmodSync(helper, 0o755);
  writeFileSync(path.join(work, 'docker-helper', 'config.json'), JSON.stringify({ credHelpers: { [registry.host]: 'bench' } }));
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
  const loadBefore = load();
  const rows: string[][] = [['case', 'outcome', 'as expected', 'exit', 'wall s', 'peak RSS MiB']];
  let failed = 0;
  try {
    for (const c of cases.filter((x) => !only || x.name.includes(only))) {
      const args = await c.args();
      const run = await cli(args, c.env);
      const verdict = c.judge(run);
      if (!verdict.ok) failed += 1;
      const outcome = run.code === -9 ? `killed after ${timeoutS} s (still running)` : verdict.outcome.replace(/\|/g, '/');
      rows.push([c.name, outcome, verdict.ok ? 'yes' : 'NO', String(run.code), run.wallS.toFixed(1), Number.isNaN(run.rssMiB) ? 'n/a' : run.rssMiB.toFixed(0)]);
      console.error(`${c.name}: exit ${run.code}, ${run.wallS.toFixed(1)} s, ${run.rssMiB.toFixed(0)} MiB${verdict.ok ? '' : `\n  stderr: ${run.stderr.slice(0, 400)}`}`);
    }
  } finally {
    await Promise.all([registry.stop(), moto?.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
  console.log(table(rows));
  console.log(`\n${rows.length - 1 - failed} as expected, ${failed} not; load average (1/5/15 min) ${loadBefore} before, ${load()} after; Node.js ${process.version}`);
  process.exitCode = failed ? 1 : 0;
}

await main();
