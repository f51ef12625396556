// Cold-start budget: synthesizes the stack (esbuild bundling, exactly as `cdk synth` does) and prints each
// function's minified bundle next to an unminified esbuild build of the same entry (the reference) in the
// same run. Goal: the worker under 3 MB minified.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import Table from 'cli-table3';
import { synthesize } from '../../test/infra/synth.ts';

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
    const table = new Table({ head: ['function', 'minified', 'gzip', 'source map', 'asset total', 'unminified (ref)', 'ratio', 'under 3 MB'] });
    const entries: Record<string, string> = { ecrPush: 'ecr-push.ts', webhook: 'webhook.ts', schedule: 'schedule.ts', worker: 'worker.ts', publisher: 'publisher.ts' };
    for (const [name, fn] of Object.entries(s.stack.functions)) {
      const id = s.stack.getLogicalId(fn.node.defaultChild as never);
      const dir = path.join(outdir, `asset.${String(fns[id]?.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      const code = readFileSync(path.join(dir, 'index.mjs'));
      const ref = await unminified(path.resolve('functions', entries[name] as string));
      table.push([name, kib(code.length), kib(gzipSync(code).length), kib(statSync(path.join(dir, 'index.mjs.map')).size), kib(dirSize(dir)), kib(ref), `${((code.length / ref) * 100).toFixed(0)}%`, code.length < budget ? 'yes' : 'NO']);
    }
    process.stdout.write(`${table.toString()}\n`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
