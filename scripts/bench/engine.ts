// Engine benchmark: 10,000 varied assets through the in-process Wasm engine, and the same inputs through
// the Go OPA on the same policy sources: `opa eval` (one process over the whole set) and `opa run --server`
// (one HTTP request per asset over loopback, as a deployment that already runs OPA would ask it).
//   npm run bench:engine [-- --assets 10000]
// Latency per asset is timed around Engine.assess (input serialization, Wasm evaluation, output contract,
// findings), both in wall time and in process CPU time, so a descheduled process on a shared machine is
// told apart from work. Evaluations during which V8 collected garbage are counted, to say what the tail is.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import Table from 'cli-table3';
import { Agent, request } from 'undici';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { collectLocal } from '../../providers/local/collect.ts';
import { Engine } from '../../policies/engine.ts';
import { buildPolicies } from '../build-policies.ts';
import { bundleIgnore, entrypoint, opaBinary, opaRoots, repoRoot } from '../../policies/layout.ts';
import { freePort } from '../../test/standins/free-port.ts';

const argv = process.argv.slice(2);
const count = argv.includes('--assets') ? Number(argv[argv.indexOf('--assets') + 1]) : Number(process.env.BENCH_ASSETS ?? 10_000);
const now = new Date('2026-11-01T00:00:00Z');
const regions: Record<string, string[]> = {
  aws: ['eu-west-1', 'us-east-1', 'eu-central-1', 'ap-south-1', 'xx-unknown-1'],
  azure: ['westeurope', 'eastus', 'uksouth', 'japaneast'],
  gcp: ['europe-west1', 'us-central1', 'asia-east1'],
  kubernetes: [''],
};
const classes = ['personal', 'restricted', 'public', 'internal', undefined];

/** Variations of the sample estate: different ids, regions, classes and a few flipped settings. */
function vary(base: Asset, i: number): Asset {
  const copy = structuredClone(base) as Asset & Record<string, unknown>;
  const pool = regions[copy.provider] ?? [''];
  copy.region = pool[i % pool.length] ?? copy.region;
  copy.id = `${base.id}-${i}`;
  const cls = classes[i % classes.length];
  copy.tags = { ...copy.tags };
  if (cls) copy.tags['data-classification'] = cls;
  else delete copy.tags['data-classification'];
  if (copy.kind === 'cluster' && copy.cluster.distribution !== 'ecs') copy.cluster.endpoint.public = i % 3 === 0;
  if (copy.kind === 'workload') for (const c of copy.workload.containers) c.privileged = i % 4 === 0;
  return parseAsset(copy);
}

/** The Go OPA loads the same files the Wasm bundle was built from (tests left out). */
const ignored = bundleIgnore.flatMap((p) => ['--ignore', p]);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Pass {
  wallMs: number;
  wall: number[];
  cpu: number[];
  /** The slowest 1% of evaluations by CPU time: how many had a GC in them, and their findings against everyone's. */
  tail: { gc: number; count: number; medianFindings: number; allMedianFindings: number; medianInputBytes: number; allMedianInputBytes: number };
  findings: number;
  /** Evaluations with a garbage collection in them, and their summed wall time. */
  duringGc: number;
  gcMs: number;
}

/**
 * One pass over every asset, each timed. An evaluation during which the JS heap shrank had a garbage
 * collection in it (V8's GC performance entries arrive only after the synchronous loop, too late to match).
 */
function pass(engine: Engine, assets: readonly Asset[]): Pass {
  const wall: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  let duringGc = 0;
  let gcMs = 0;
  const each: { cpu: number; gc: boolean; findings: number; index: number }[] = [];
  const started = performance.now();
  for (const [index, asset] of assets.entries()) {
    const heap = v8.getHeapStatistics().used_heap_size;
    const c = cpuMs();
    const t = performance.now();
    const n = engine.assess(asset).findings.length;
    const w = performance.now() - t;
    const spent = cpuMs() - c;
    findings += n;
    wall.push(w);
    cpu.push(spent);
    const gc = v8.getHeapStatistics().used_heap_size < heap;
    if (gc) {
      duringGc++;
      gcMs += w;
    }
    each.push({ cpu: spent, gc, findings: n, index });
  }
  const wallMs = performance.now() - started;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const slowest = [...each].sort((a, b) => b.cpu - a.cpu).slice(0, Math.max(1, Math.floor(each.length / 100)));
  const bytes = (i: number) => Buffer.byteLength(JSON.stringify(assets[i]));
  const tail = {
    gc: slowest.filter((e) => e.gc).length,
    count: slowest.length,
    medianFindings: median(slowest.map((e) => e.findings)),
    allMedianFindings: median(each.map((e) => e.findings)),
    medianInputBytes: median(slowest.map((e) => bytes(e.index))),
    allMedianInputBytes: median(each.filter((_, i) => i % 10 === 0).map((e) => bytes(e.index))),
  };
  return { wallMs, wall: [...wall].sort((a, b) => a - b), cpu: [...cpu].sort((a, b) => a - b), tail, findings, duringGc, gcMs };
}

async function opaEval(assets: readonly Asset[], dataDir: string, dir: string): Promise<{ ms: number; findings: number }> {
  const inputFile = path.join(dir, 'input.json');
  writeFileSync(inputFile, JSON.stringify({ assets }));
  const query = `n := sum([c | some a in input.assets; c := count(data.${entrypoint.replaceAll('/', '.')}) with input as a])`;
  const started = performance.now();
  const out = execFileSync(opaBinary, ['eval', '-f', 'json', ...ignored, ...opaRoots.flatMap((r) => ['-d', r]), '-d', dataDir, '-i', inputFile, query], { maxBuffer: 1024 * 1024 * 1024 });
  const ms = performance.now() - started;
  return { ms, findings: (JSON.parse(out.toString()) as { result: { bindings: { n: number } }[] }).result[0]?.bindings.n ?? -1 };
}

/** `opa run --server` on loopback with the same sources and data; one POST per asset on a kept-alive connection. */
async function opaServer(assets: readonly Asset[], dataDir: string): Promise<{ ms: number; findings: number; latencies: number[] }> {
  const port = await freePort();
  const server = spawn(opaBinary, ['run', '--server', '--addr', `127.0.0.1:${port}`, '--log-level', 'error', ...ignored, ...opaRoots, dataDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const dispatcher = new Agent({ connections: 1, pipelining: 1 });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        const r = await request(`${base}/health`, { dispatcher });
        await r.body.dump();
        if (r.statusCode === 200) break;
      } catch {
        // not listening yet
      }
      if (i > 600) throw new Error('opa run --server did not become healthy in 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = `${base}/v1/data/${entrypoint}`;
    const latencies: number[] = [];
    let findings = 0;
    const started = performance.now();
    for (const asset of assets) {
      const t = performance.now();
      const r = await request(url, { method: 'POST', body: JSON.stringify({ input: asset }), headers: { 'content-type': 'application/json' }, dispatcher });
      const body = (await r.body.json()) as { result?: unknown[] };
      latencies.push(performance.now() - t);
      if (r.statusCode !== 200 || !Array.isArray(body.result)) throw new Error(`opa server answered ${r.statusCode} for ${asset.id}`);
      findings += body.result.length;
    }
    return { ms: performance.now() - started, findings, latencies: latencies.sort((a, b) => a - b) };
  } finally {
    await dispatcher.close();
    server.kill();
  }
}

async function main(): Promise<void> {
  await buildPolicies();
  const samples = ['aws', 'azure', 'gcp', 'kubernetes'].map((p) => path.join(repoRoot, 'samples', p));
  const { assets: seeds } = await collectLocal(samples, { now });
  const assets = Array.from({ length: count }, (_, i) => vary(seeds[i % seeds.length] as Asset, i));
  const config = parseConfig({});
  const loadBefore = os.loadavg()[0]!;

  const loadStart = performance.now();
  const loadCpu = cpuMs();
  const engine = await Engine.load({ config, now });
  const loadMs = performance.now() - loadStart;
  const loadCpuMs = cpuMs() - loadCpu;
  const cold = pass(engine, assets);
  const warm = pass(engine, assets);

  const dir = mkdtempSync(path.join(tmpdir(), 'posture-bench-'));
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  writeFileSync(path.join(dataDir, 'data.json'), JSON.stringify({ config, runtime: { now: now.toISOString() } }));
  let opa: { ms: number; findings: number };
  let server: { ms: number; findings: number; latencies: number[] };
  try {
    opa = await opaEval(assets, dataDir, dir);
    server = await opaServer(assets, dataDir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const t = new Table({
    head: ['engine', 'assets', 'findings', 'wall ms', 'assets/s', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'p50/p90/p99/max CPU ms', 'evals with a GC (their ms)'],
    style: { head: [], border: [] },
  });
  const row = (name: string, p: Pass) => [
    name,
    count,
    p.findings,
    p.wallMs.toFixed(0),
    (count / (p.wallMs / 1000)).toFixed(0),
    pct(p.wall, 50).toFixed(3),
    pct(p.wall, 90).toFixed(3),
    pct(p.wall, 99).toFixed(3),
    pct(p.wall, 99.9).toFixed(3),
    p.wall.at(-1)!.toFixed(1),
    `${pct(p.cpu, 50).toFixed(2)}/${pct(p.cpu, 90).toFixed(2)}/${pct(p.cpu, 99).toFixed(2)}/${p.cpu.at(-1)!.toFixed(1)}`,
    `${p.duringGc} (${p.gcMs.toFixed(0)} ms)`,
  ];
  t.push(
    row('posture Wasm, first pass (in-process)', cold),
    row('posture Wasm, second pass', warm),
    ['opa eval (Go, one process)', count, opa.findings, opa.ms.toFixed(0), (count / (opa.ms / 1000)).toFixed(0), '—', '—', '—', '—', '—', '—', '—'],
    [
      'opa run --server (Go, HTTP per asset)',
      count,
      server.findings,
      server.ms.toFixed(0),
      (count / (server.ms / 1000)).toFixed(0),
      pct(server.latencies, 50).toFixed(3),
      pct(server.latencies, 90).toFixed(3),
      pct(server.latencies, 99).toFixed(3),
      pct(server.latencies, 99.9).toFixed(3),
      server.latencies.at(-1)!.toFixed(1),
      '—',
      '—',
    ],
  );
  const cpus = os.cpus();
  console.log(`engine bench: ${cpus.length}× ${cpus[0]?.model ?? 'cpu'}, Node.js ${process.version}, load average ${loadBefore.toFixed(1)} before / ${os.loadavg()[0]!.toFixed(1)} after; ${engine.catalog.length} rules`);
  console.log(t.toString());
  console.log(
    `engine load (read, compile, warm): ${loadMs.toFixed(0)} ms wall, ${loadCpuMs.toFixed(0)} ms CPU · throughput vs opa eval: ${(opa.ms / cold.wallMs).toFixed(2)}× (first pass), ${(opa.ms / warm.wallMs).toFixed(2)}× (second)` +
      ` · vs opa run --server: ${(server.ms / warm.wallMs).toFixed(2)}×`,
  );
  for (const [name, p] of [['first pass', cold], ['second pass', warm]] as const) {
    const t = p.tail;
    console.log(
      `slowest 1% by CPU (${name}): ${t.gc} of ${t.count} had a GC in them; median findings ${t.medianFindings} (all: ${t.allMedianFindings}), median input ${t.medianInputBytes} B (all: ${t.allMedianInputBytes} B)`,
    );
  }
  const mismatch = [cold.findings, warm.findings, server.findings].some((n) => n !== opa.findings);
  if (mismatch) {
    console.error(`MISMATCH: findings Wasm ${cold.findings}/${warm.findings}, opa eval ${opa.findings}, opa server ${server.findings}`);
    process.exitCode = 1;
  }
}

await main();
