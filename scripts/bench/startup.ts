// Benchmark: start-up of the CLI as a person runs it (`node bin/posture.js …`, a new process each time),
// against the floor of starting Node.js at all and, in the same run, other CLIs of the trade.
//   npm run bench:startup [-- --runs 15]
// Each row runs its command --runs times (after one unmeasured warm-up run, as a person's second run would be:
// the OS page cache and V8's compile cache are warm) and reports the median and p90 wall time, the median
// CPU time (user + system, which a loaded machine does not inflate the way it does wall time) and peak RSS,
// all read from /usr/bin/time. "from source" is the CLI run through tsx's loader, as bin/posture.js did
// before the bundle: the reference for what the bundle and lazy imports save; "no Wasm cache" compiles the
// policy module as a first run does.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import Table from 'cli-table3';

const root = resolve(import.meta.dirname, '../..');
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 15;
const node = process.execPath;
const posture = join(root, 'bin/posture.js');
const sample = join(root, 'samples/aws/eks-cluster-platform.json');

interface Row {
  name: string;
  argv: string[];
  env?: Record<string, string>;
  /** The row that is this one's floor (its times are divided by the floor's). */
  floor?: boolean;
}

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
}

function timed(row: Row): Promise<Sample> {
  return new Promise((res, rej) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', ...row.argv], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', ...row.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => {
      const last = err.trim().split('\n').at(-1) ?? '';
      const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(last);
      // Exit 1 is "findings at/above --fail-on" for posture; any other failure (126/127: not runnable) is no sample.
      if (!m || (code !== 0 && code !== 1)) return rej(new Error(`${row.name}: exit ${code}, no timing line: ${err.slice(-500)}`));
      res({ wallMs: Number(m[1]) * 1000, cpuMs: (Number(m[2]) + Number(m[3])) * 1000, rssMiB: Number(m[4]) / 1024 });
    });
  });
}

const pick = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

function peers(): Row[] {
  const rows: Row[] = [];
  const opa = join(root, '.tools/bin/opa');
  if (existsSync(opa)) rows.push({ name: 'opa version (Go)', argv: [opa, 'version'] });
  // Peers are measured only when something else already built them (scripts/peers/*); this bench builds nothing.
  const trivy = [join(root, '.tools/bin/trivy'), join(root, '.tools/trivy/trivy')].find(existsSync);
  if (trivy) rows.push({ name: 'trivy --help (Go)', argv: [trivy, '--help'] });
  // `python -m prowler`: the venv's console script carries the absolute path the venv was created under.
  const prowlerPython = join(root, '.tools/prowler/bin/python');
  if (existsSync(prowlerPython)) rows.push({ name: 'prowler --help (Python)', argv: [prowlerPython, '-m', 'prowler', '--help'] });
  return rows;
}

const rows: Row[] = [
  { name: 'node -e 0 (floor)', argv: [node, '-e', '0'], floor: true },
  { name: 'posture --help', argv: [node, posture, '--help'] },
  { name: 'posture scan --help', argv: [node, posture, 'scan', '--help'] },
  { name: 'posture scan <one local file>', argv: [node, posture, 'scan', '--no-history', sample] },
  { name: 'posture scan <one local file>, no Wasm cache', argv: [node, posture, 'scan', '--no-history', sample], env: { POSTURE_WASM_CACHE: 'off' } },
  { name: 'posture --help, from source (tsx)', argv: [node, posture, '--help'], env: { POSTURE_FROM_SOURCE: '1' } },
  { name: 'posture scan <one file>, from source (tsx)', argv: [node, posture, 'scan', '--no-history', sample], env: { POSTURE_FROM_SOURCE: '1' } },
  ...peers(),
];

// The compiled policy module's cache entry (policies/wasm-cache.mjs), written now rather than by the first
// measured run's background writer, so every "posture scan" run finds it.
const writer = spawnSync(node, [join(root, 'policies/wasm-cache.mjs'), join(root, 'policies/dist/policy.wasm')], { stdio: 'inherit' });
if (writer.status !== 0) process.stderr.write('bench: the Wasm cache entry could not be written; the scan rows compile\n');

const loadBefore = os.loadavg()[0]!;
const results: { row: Row; samples: Sample[] }[] = [];
for (const row of rows) {
  await timed(row); // warm-up: builds the bundle if stale, fills the compile cache and the page cache
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timed(row));
  results.push({ row, samples });
  process.stderr.write(`  ${row.name}: median ${pick(samples.map((s) => s.wallMs), 0.5).toFixed(0)} ms\n`);
}
const loadAfter = os.loadavg()[0]!;

const floor = results.find((r) => r.row.floor)!;
const floorWall = pick(floor.samples.map((s) => s.wallMs), 0.5);
const floorCpu = pick(floor.samples.map((s) => s.cpuMs), 0.5);
const table = new Table({ head: ['command', 'wall p50 ms', 'wall p90 ms', 'CPU p50 ms', 'peak RSS MiB', 'wall × floor', 'CPU × floor'], style: { head: [], border: [] } });
for (const { row, samples } of results) {
  const wall = pick(samples.map((s) => s.wallMs), 0.5);
  const cpu = pick(samples.map((s) => s.cpuMs), 0.5);
  table.push([
    row.name,
    wall.toFixed(0),
    pick(samples.map((s) => s.wallMs), 0.9).toFixed(0),
    cpu.toFixed(0),
    Math.max(...samples.map((s) => s.rssMiB)).toFixed(0),
    (wall / floorWall).toFixed(1),
    floorCpu > 0 ? (cpu / floorCpu).toFixed(1) : '-',
  ]);
}
console.log(`start-up: ${runs} runs per row after one warm-up, Node.js ${process.version}, ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, load average ${loadBefore.toFixed(1)} before / ${loadAfter.toFixed(1)} after`);
console.log('(/usr/bin/time resolves 10 ms; wall time on a shared machine includes waiting for a core, CPU time does not)');
console.log(table.toString());
