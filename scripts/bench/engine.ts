// Engine benchmark: 10,000 varied assets through the in-process Wasm engine, and the same inputs
// through the Go `opa eval` (one process over the whole set) as the reference. Prints a table.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Table from 'cli-table3';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { parseConfig } from '../../core/config.ts';
import { collectLocal } from '../../providers/local/collect.ts';
import { Engine } from '../../policies/engine.ts';
import { buildPolicies } from '../build-policies.ts';
import { opaBinary, opaRoots, repoRoot } from '../../policies/layout.ts';

const count = Number(process.env.BENCH_ASSETS ?? 10_000);
const now = new Date('2026-11-01T00:00:00Z');
const regions: Record<string, string[]> = {
  aws: ['eu-west-1', 'us-east-1', 'eu-central-1', 'ap-south-1', 'xx-unknown-1'],
  azure: ['westeurope', 'eastus', 'uksouth', 'japaneast'],
  gcp: ['europe-west1', 'us-central1', 'asia-east1'],
};
const classes = ['personal', 'restricted', 'public', 'internal', undefined];

/** Variations of the sample estate: different ids, regions, classes and a few flipped settings. */
function vary(base: Asset, i: number): Asset {
  const copy = structuredClone(base) as Asset & Record<string, unknown>;
  const pool = regions[copy.provider] ?? [''];
  copy.region = pool[i % pool.length] ?? '';
  copy.id = `${base.id}-${i}`;
  const cls = classes[i % classes.length];
  copy.tags = { ...copy.tags };
  if (cls) copy.tags['data-classification'] = cls;
  else delete copy.tags['data-classification'];
  if (copy.kind === 'cluster' && copy.cluster.distribution !== 'ecs') copy.cluster.endpoint.public = i % 3 === 0;
  if (copy.kind === 'workload') for (const c of copy.workload.containers) c.privileged = i % 4 === 0;
  return parseAsset(copy);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  await buildPolicies();
  const { assets: seeds } = await collectLocal([path.join(repoRoot, 'samples/aws'), path.join(repoRoot, 'samples/azure'), path.join(repoRoot, 'samples/gcp')], { now });
  const assets = Array.from({ length: count }, (_, i) => vary(seeds[i % seeds.length] as Asset, i));
  const config = parseConfig({});

  const loadStart = performance.now();
  const engine = await Engine.load({ config, now });
  const loadMs = performance.now() - loadStart;
  const latencies: number[] = [];
  let wasmFindings = 0;
  const wasmStart = performance.now();
  for (const asset of assets) {
    const t = performance.now();
    wasmFindings += engine.evaluate(asset).length;
    latencies.push(performance.now() - t);
  }
  const wasmMs = performance.now() - wasmStart;
  latencies.sort((a, b) => a - b);

  const dir = mkdtempSync(path.join(tmpdir(), 'posture-bench-'));
  const inputFile = path.join(dir, 'input.json');
  writeFileSync(inputFile, JSON.stringify({ assets }));
  const dataDir = path.join(dir, 'data');
  mkdirSync(dataDir);
  writeFileSync(path.join(dataDir, 'data.json'), JSON.stringify({ config, runtime: { now: now.toISOString() } }));
  const query = 'n := sum([c | some a in input.assets; c := count(data.posture.main.findings) with input as a])';
  const opaStart = performance.now();
  const out = execFileSync(opaBinary, ['eval', '-f', 'json', ...opaRoots.flatMap((r) => ['-d', r]), '-d', dataDir, '-i', inputFile, query], {
    maxBuffer: 1024 * 1024 * 1024,
  });
  const opaMs = performance.now() - opaStart;
  const opaFindings = (JSON.parse(out.toString()) as { result: { bindings: { n: number } }[] }).result[0]?.bindings.n ?? -1;

  const table = new Table({ head: ['engine', 'assets', 'findings', 'wall (ms)', 'assets/s', 'p50 (ms)', 'p99 (ms)'] });
  table.push(
    ['posture Wasm (in-process)', count, wasmFindings, wasmMs.toFixed(0), (count / (wasmMs / 1000)).toFixed(0), percentile(latencies, 50).toFixed(3), percentile(latencies, 99).toFixed(3)],
    ['opa eval (Go, one process)', count, opaFindings, opaMs.toFixed(0), (count / (opaMs / 1000)).toFixed(0), '—', '—'],
  );
  console.log(table.toString());
  console.log(`bundle load: ${loadMs.toFixed(0)} ms · ratio (Wasm throughput ÷ opa eval): ${(opaMs / wasmMs).toFixed(2)}x · rules: ${engine.catalog.length}`);
  if (opaFindings !== wasmFindings) {
    console.error(`MISMATCH: Wasm produced ${wasmFindings} findings, opa eval ${opaFindings}`);
    process.exitCode = 1;
  }
}

await main();
