// Cold-start budget: synthesizes the stack (esbuild bundling, exactly as `cdk synth` does) and prints each
// function's minified bundle next to an unminified esbuild build of the same entry (the reference) in the
// same run, and each shipped bundle's cold start: its Init Duration under the AWS Lambda Runtime Interface
// Emulator with this Node.js 22, against a handler that does nothing (the floor) in the same run.
// Goal: the worker under 3 MB minified.
//   npm run bench:bundle [-- --runs 5]
// The emulator (github.com/aws/aws-lambda-runtime-interface-emulator, the one in AWS's base images) is built
// from the Go module proxy into .tools/bin by this bench only. It runs scripts/bench/lib/lambda-bootstrap.mjs,
// the Runtime API loop of the managed runtime, which imports the handler's module (its top level runs, as in
// Lambda). Init is timed by the emulator from the runtime's start to its first /invocation/next; each run is a
// new emulator and a new process, so every init is cold (the OS page cache is warm, as on a busy Lambda host).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import Table from 'cli-table3';
import { synthesize } from '../../test/infra/synth.ts';
import { freePort } from '../../test/standins/free-port.ts';

const root = path.resolve(import.meta.dirname, '../..');
const rieModule = 'github.com/aws/aws-lambda-runtime-interface-emulator';
// The module has no release tags on the proxy; this is its newest commit there (2026-10-30).
const rieVersion = 'v0.0.0-20261030222936-bef5c4ba774d';
const rie = path.join(root, '.tools/bin/aws-lambda-rie');
const bootstrap = path.join(root, 'scripts/bench/lib/lambda-bootstrap.mjs');
const argv = process.argv.slice(2);
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 5;

function ensureRie(): boolean {
  if (existsSync(rie)) return true;
  process.stderr.write(`bench: building the Lambda Runtime Interface Emulator (${rieModule}@${rieVersion}) into .tools/bin, once\n`);
  const r = spawnSync('nice', ['go', 'install', `${rieModule}/cmd/aws-lambda-rie@${rieVersion}`], {
    env: { ...process.env, GOBIN: path.dirname(rie), GOFLAGS: '-mod=mod' },
    stdio: 'inherit',
  });
  return r.status === 0 && existsSync(rie);
}

/**
 * One cold start of the handler in `dir` (index.mjs, export `handler`) under the emulator: the emulator's
 * INIT REPORT duration in ms. The invocation is only the trigger (the emulator starts the runtime on the
 * first invoke); its outcome is not waited for, and SDK calls a handler makes on it go nowhere.
 */
async function coldStart(dir: string): Promise<number> {
  const [apiPort, invokePort] = [await freePort(), await freePort()];
  const child = spawn(rie, ['--runtime-api-address', `127.0.0.1:${apiPort}`, '--runtime-interface-emulator-address', `127.0.0.1:${invokePort}`, process.execPath, bootstrap], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      LAMBDA_TASK_ROOT: dir,
      _HANDLER: 'index.handler',
      AWS_LAMBDA_FUNCTION_NAME: 'bench',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let log = '';
    const init = new Promise<number>((resolve, reject) => {
      const read = (d: Buffer) => {
        log += d.toString();
        const m = /INIT REPORT\(durationMs: ([\d.]+)\)/.exec(log);
        if (m) resolve(Number(m[1]));
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('close', () => reject(new Error(`emulator exited without an INIT REPORT: ${log.slice(-500)}`)));
    });
    // The emulator listens once it has started; retry the trigger until it does.
    for (let i = 0; i < 100; i++) {
      const ok = await fetch(`http://127.0.0.1:${invokePort}/2015-03-31/functions/function/invocations`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(1000) })
        .then(() => true)
        .catch((err: Error) => err.name === 'TimeoutError');
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return await Promise.race([init, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no INIT REPORT within 120 s: ${log.slice(-500)}`)), 120_000))]);
  } finally {
    child.kill('SIGKILL');
  }
}

async function medianColdStart(dir: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await coldStart(dir));
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

const budget = 3 * 1024 * 1024;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

function dirSize(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? dirSize(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size), 0);
}

async function unminified(entry: string): Promise<number> {
  const out = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node22', write: false, minify: false, logLevel: 'silent', external: ['better-sqlite3'] });
  return out.outputFiles.reduce((n, f) => n + f.contents.length, 0);
}

async function main(): Promise<void> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'posture-bench-'));
  try {
    const s = synthesize({}, { outdir });
    const fns = s.template.findResources('AWS::Lambda::Function');
    const emulator = ensureRie();
    const floorDir = mkdtempSync(path.join(tmpdir(), 'posture-bench-floor-'));
    writeFileSync(path.join(floorDir, 'index.mjs'), 'export const handler = async () => ({});\n');
    const floorMs = emulator ? await medianColdStart(floorDir) : NaN;
    rmSync(floorDir, { recursive: true, force: true });
    const loadBefore = os.loadavg()[0]!;
    const table = new Table({ head: ['function', 'minified', 'gzip', 'source map', 'asset total', 'unminified (ref)', 'ratio', 'under 3 MB', `init ms (p50 of ${runs})`, 'init − floor'] });
    table.push(['(floor: a handler that does nothing)', '', '', '', '', '', '', '', emulator ? floorMs.toFixed(0) : 'no emulator', '']);
    const entries: Record<string, string> = { ecrPush: 'ecr-push.ts', webhook: 'webhook.ts', schedule: 'schedule.ts', worker: 'worker.ts', publisher: 'publisher.ts', vulnDbSync: 'vulndb-sync.ts' };
    for (const [name, fn] of Object.entries(s.stack.functions)) {
      const id = s.stack.getLogicalId(fn.node.defaultChild as never);
      const dir = path.join(outdir, `asset.${String(fns[id]?.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      const code = readFileSync(path.join(dir, 'index.mjs'));
      const ref = await unminified(path.resolve('functions', entries[name] as string));
      const initMs = emulator ? await medianColdStart(dir) : NaN;
      table.push([
        name,
        kib(code.length),
        kib(gzipSync(code).length),
        kib(statSync(path.join(dir, 'index.mjs.map')).size),
        kib(dirSize(dir)),
        kib(ref),
        `${((code.length / ref) * 100).toFixed(0)}%`,
        code.length < budget ? 'yes' : 'NO',
        emulator ? initMs.toFixed(0) : '-',
        emulator ? (initMs - floorMs).toFixed(0) : '-',
      ]);
    }
    const cpus = os.cpus();
    process.stdout.write(
      `bundle bench: ${cpus.length}× ${cpus[0]?.model ?? 'cpu'}, Node.js ${process.version}, load average ${loadBefore.toFixed(1)} before / ${os.loadavg()[0]!.toFixed(1)} after; ` +
        `init under ${rieModule}@${rieVersion}\n${table.toString()}\n`,
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
