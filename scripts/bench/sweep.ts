// AWS sweep benchmark: posture's collection and evaluation of ECR, ECS and EKS, run as the CLI a user runs
// (`posture scan --aws`, start-up included), against Prowler limited to the same services, both reading the
// same moto server on loopback in the same run.
//   npm run bench:sweep [-- --n 1000,5000] [--region eu-west-1] [--no-prowler] [--history]
// For each N (ascending) moto holds N ECR repositories, N ECS task definition families, N ECS clusters and
// N ECS services (ten per cluster on the first N/10 clusters, each running its own family's revision 1): 4N
// resources. Moto is seeded up to the next N between runs, so the larger estate contains the smaller one.
// Each tool is timed by /usr/bin/time (wall, CPU of the process and its children, peak RSS). The marginal rate
// ((resources at the largest N - at the smallest) / (wall at the largest - at the smallest)) takes each
// tool's start-up out. Prowler (pinned in scripts/peers/prowler-setup.sh, installed there on first use into
// .tools/prowler) talks to moto through boto3's AWS_ENDPOINT_URL with dummy credentials.
// posture runs with --no-history; `--history` adds, at each N, a run that records the scan history (as a user's
// scan does by default) and diffs against the one recorded before it. At the smallest N a first history scan,
// with nothing to diff against, is run (and shown) first, so each N's history run reads a previous snapshot.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import Table from 'cli-table3';
import pLimit from 'p-limit';
import { motoCredentials, startMoto, type MotoServer } from '../../test/standins/moto.ts';

const root = path.resolve(import.meta.dirname, '../..');
const argv = process.argv.slice(2);
const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const sizes = (arg('--n') ?? process.env.BENCH_SWEEP_N ?? '1000,5000')
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
if (sizes.some((n) => !Number.isInteger(n) || n < 10 || n % 10 !== 0)) throw new Error('--n takes multiples of 10, comma-separated (e.g. 1000,5000)');
const region = arg('--region') ?? 'eu-west-1';
const withProwler = !argv.includes('--no-prowler');
const withHistory = argv.includes('--history');
const account = '123456789012';
const kinds = 4;

const pad = (i: number) => String(i).padStart(5, '0');
const names = {
  repository: (i: number) => `sweep/repo-${pad(i)}`,
  family: (i: number) => `sweep-task-${pad(i)}`,
  cluster: (i: number) => `sweep-cluster-${pad(i)}`,
  service: (i: number) => `svc-${pad(i)}`,
};

/** Adds resources [from, to) of each kind, 16 requests in flight (moto answers one at a time anyway). */
async function seed(moto: MotoServer, from: number, to: number): Promise<void> {
  const config = { ...moto.clientConfig, region };
  const ecr = new ECRClient(config);
  const ecs = new ECSClient(config);
  const limit = pLimit(16);
  const range = (f: (i: number) => Promise<unknown>) => Promise.all(Array.from({ length: to - from }, (_, k) => limit(() => f(from + k))));
  await range((i) => ecr.send(new CreateRepositoryCommand({ repositoryName: names.repository(i), imageTagMutability: i % 2 ? 'IMMUTABLE' : 'MUTABLE', imageScanningConfiguration: { scanOnPush: i % 3 === 0 } })));
  await range((i) =>
    ecs.send(
      new RegisterTaskDefinitionCommand({
        family: names.family(i),
        containerDefinitions: [{ name: 'app', image: `${account}.dkr.ecr.${region}.amazonaws.com/${names.repository(i)}:1.0.${i}`, memory: 256, essential: true, privileged: i % 7 === 0, readonlyRootFilesystem: i % 2 === 0, user: i % 3 ? '1000' : undefined }],
      }),
    ),
  );
  await range((i) => ecs.send(new CreateClusterCommand({ clusterName: names.cluster(i), settings: [{ name: 'containerInsights', value: i % 2 ? 'enabled' : 'disabled' }] })));
  await range((i) => ecs.send(new CreateServiceCommand({ cluster: names.cluster(Math.floor(i / 10)), serviceName: names.service(i), taskDefinition: `${names.family(i)}:1`, desiredCount: 0 })));
  ecr.destroy();
  ecs.destroy();
}

interface Sample {
  wallS: number;
  cpuS: number;
  rssMiB: number;
  exit: number;
}

/** One run under /usr/bin/time; the child's stdout goes to `stdout` (a file) when given. */
function timed(command: string[], env: Record<string, string>, stdout?: string): Promise<Sample & { stderr: string }> {
  return new Promise((resolve, reject) => {
    const args = ['-f', 'TIME %e %U %S %M', ...(stdout ? ['-o', `${stdout}.time`] : []), ...command];
    const child = spawn('/usr/bin/time', args, { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-40_000)));
    child.on('error', reject);
    child.on('close', () => {
      const text = stdout ? readFileSync(`${stdout}.time`, 'utf8') : stderr;
      const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(text);
      const code = /Command exited with non-zero status (\d+)/.exec(text);
      if (!m) return reject(new Error(`${command.slice(0, 3).join(' ')}… gave no timing: ${stderr.slice(-600)}`));
      resolve({ wallS: Number(m[1]), cpuS: Number(m[2]) + Number(m[3]), rssMiB: Number(m[4]) / 1024, exit: code ? Number(code[1]) : 0, stderr });
    });
  });
}

interface Run extends Sample {
  tool: string;
  n: number;
  /** Seeded resources the tool's output names (a run that missed some does not count). */
  seen: number;
  note: string;
}

/** `history`: the history directory the scan records into (and diffs against); absent: `--no-history`. */
async function runPosture(moto: MotoServer, n: number, dir: string, history?: { dir: string; label: string }): Promise<Run> {
  const config = path.join(dir, 'posture.yaml');
  const endpoints = ['sts', 'ec2', 'iam', 'ecr', 'ecs', 'eks'].map((s) => `    ${s}: ${moto.endpoint}`).join('\n');
  writeFileSync(config, `aws:\n  homeRegion: ${region}\n  endpoints:\n${endpoints}\n`);
  const out = path.join(dir, `posture-${n}.json`);
  const env = { AWS_ACCESS_KEY_ID: motoCredentials.accessKeyId, AWS_SECRET_ACCESS_KEY: motoCredentials.secretAccessKey, AWS_REGION: region };
  const sample = await timed([process.execPath, path.join(root, 'bin/posture.js'), 'scan', '--aws', '--regions', region, '--config', config, '--format', 'json', '--output', out, ...(history ? ['--history-dir', history.dir] : ['--no-history'])], env);
  const report = JSON.parse(readFileSync(out, 'utf8')) as { assets: { id: string }[]; findings: unknown[]; errors: { scope: string; message: string }[] };
  rmSync(out);
  const ids = new Set(report.assets.map((a) => a.id));
  const base = `aws://${account}/${region}`;
  let seen = 0;
  for (let i = 0; i < n; i++) {
    if (ids.has(`${base}/ecr/repository/${names.repository(i)}`)) seen++;
    if (ids.has(`${base}/ecs/task-definition/${names.family(i)}:1`)) seen++;
    if (ids.has(`${base}/ecs/cluster/${names.cluster(i)}`)) seen++;
    if (ids.has(`${base}/ecs/service/${names.cluster(Math.floor(i / 10))}/${names.service(i)}`)) seen++;
  }
  // Exit 3 is "some input could not be collected": moto lacks a few APIs (see the errors), which the note names.
  const failedScopes = [...new Set(report.errors.map((e) => e.message.replace(/\s+/g, ' ').slice(0, 60)))];
  return { tool: history ? `posture scan --aws (history, ${history.label})` : 'posture scan --aws', n, ...sample, seen, note: `${report.assets.length} assets, ${report.findings.length} findings, exit ${sample.exit}${failedScopes.length ? `; errors: ${failedScopes.slice(0, 2).join(' | ')}` : ''}` };
}

function prowlerPython(): string {
  const setup = spawnSync('bash', [path.join(root, 'scripts/peers/prowler-setup.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) throw new Error('scripts/peers/prowler-setup.sh failed');
  return path.join(root, '.tools/prowler/bin/python');
}

async function runProwler(python: string, moto: MotoServer, n: number, dir: string): Promise<Run> {
  const out = mkdtempSync(path.join(dir, `prowler-${n}-`));
  const env = {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: motoCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: motoCredentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_REGION: region,
  };
  // `python -m prowler`: the venv's console script carries the absolute path it was installed under.
  const sample = await timed([python, '-m', 'prowler', 'aws', '--services', 'ecr', 'ecs', 'eks', '--region', region, '--output-formats', 'json-ocsf', '--output-directory', out, '--no-banner'], env);
  const file = readdirSync(out).find((f) => f.endsWith('.ocsf.json'));
  const findings = file ? (JSON.parse(readFileSync(path.join(out, file), 'utf8')) as { resources?: { uid?: string; name?: string }[] }[]) : [];
  const resources = new Set(findings.flatMap((f) => (f.resources ?? []).map((r) => r.uid ?? r.name ?? '')));
  let seen = 0;
  const seeded = (uid: string) => /sweep\/repo-|task-definition\/sweep-task-|cluster\/sweep-cluster-|service\/sweep-cluster-/.test(uid);
  for (const uid of resources) if (seeded(uid)) seen++;
  rmSync(out, { recursive: true, force: true });
  // Prowler exits 3 when a check failed; anything else non-zero is a crash.
  const crashed = sample.exit !== 0 && sample.exit !== 3;
  return { tool: 'prowler (ecr, ecs, eks)', n, ...sample, seen, note: `${findings.length} findings on ${resources.size} resources, exit ${sample.exit}${crashed ? `: ${sample.stderr.slice(-300)}` : ''}` };
}

/** `--serve N`: seed one estate and keep moto up (for profiling a single tool against it) until interrupted. */
async function serve(n: number): Promise<void> {
  const moto = await startMoto({ region, serialize: false });
  await seed(moto, 0, n);
  console.log(`moto at ${moto.endpoint} holds N=${n} (${kinds * n} resources) in ${region}; Ctrl-C stops it`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  await moto.stop();
}

async function main(): Promise<void> {
  const python = withProwler ? prowlerPython() : undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'posture-bench-sweep-'));
  // moto_server as it ships (threaded, no request lock): the bench only reads after seeding.
  const moto = await startMoto({ region, serialize: false });
  const runs: Run[] = [];
  const loads: number[] = [os.loadavg()[0]!];
  try {
    let seeded = 0;
    for (const n of sizes) {
      const started = Date.now();
      await seed(moto, seeded, n);
      console.error(`sweep bench: moto seeded to N=${n} (${kinds * n} resources) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      seeded = n;
      runs.push(await runPosture(moto, n, dir));
      console.error(`  ${JSON.stringify(runs.at(-1))}`);
      loads.push(os.loadavg()[0]!);
      if (withHistory) {
        const history = path.join(dir, 'history');
        if (n === sizes[0]) runs.push(await runPosture(moto, n, dir, { dir: history, label: 'first scan' }));
        runs.push(await runPosture(moto, n, dir, { dir: history, label: `diff against N=${runs.findLast((r) => r.tool.includes('history'))?.n}` }));
        console.error(`  ${JSON.stringify(runs.at(-1))}`);
        loads.push(os.loadavg()[0]!);
      }
      if (python) {
        runs.push(await runProwler(python, moto, n, dir));
        console.error(`  ${JSON.stringify({ ...runs.at(-1), stderr: undefined })}`);
        loads.push(os.loadavg()[0]!);
      }
    }
  } finally {
    await moto.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const cpus = os.cpus();
  console.log(`sweep bench: ${cpus.length}× ${cpus[0]?.model ?? 'cpu'}, Node.js ${process.version}, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the runs; moto on loopback, region ${region}`);
  const t = new Table({ head: ['tool', 'N', 'resources', 'in output', 'wall s', 'resources/s', 'CPU s', 'peak RSS MiB', 'note'], style: { head: [], border: [] }, colWidths: [null, null, null, null, null, null, null, null, 60], wordWrap: true });
  for (const r of runs) t.push([r.tool, r.n, kinds * r.n, r.seen, r.wallS.toFixed(1), ((kinds * r.n) / r.wallS).toFixed(0), r.cpuS.toFixed(1), r.rssMiB.toFixed(0), r.note]);
  console.log(t.toString());
  const marginal = (tool: string) => {
    const mine = runs.filter((r) => r.tool === tool || (tool.endsWith('(history)') && r.tool.startsWith(tool.slice(0, -1)) && r.tool.includes('diff')));
    const [a, b] = [mine[0], mine.at(-1)];
    if (!a || !b || a === b || b.wallS <= a.wallS) return undefined;
    return { rate: (kinds * (b.n - a.n)) / (b.wallS - a.wallS), rss: `${a.rssMiB.toFixed(0)} → ${b.rssMiB.toFixed(0)} MiB` };
  };
  const ours = marginal('posture scan --aws');
  const theirs = marginal('prowler (ecr, ecs, eks)');
  const recorded = withHistory ? marginal('posture scan --aws (history)') : undefined;
  if (ours) {
    console.log(
      `marginal rate (N ${sizes[0]} → ${sizes.at(-1)}): posture ${ours.rate.toFixed(0)} resources/s (peak RSS ${ours.rss})` +
        (theirs ? `, Prowler ${theirs.rate.toFixed(0)} resources/s (peak RSS ${theirs.rss}); posture/Prowler ${(ours.rate / theirs.rate).toFixed(2)}×` : ''),
    );
  }
  if (recorded) console.log(`with history (the scans that diff): posture ${recorded.rate.toFixed(0)} resources/s (peak RSS ${recorded.rss})`);
  const incomplete = runs.filter((r) => r.tool.startsWith('posture') && r.seen !== kinds * r.n);
  if (incomplete.length) {
    console.error(`INCOMPLETE: posture's report misses seeded resources at N=${incomplete.map((r) => `${r.n} (${r.seen}/${kinds * r.n})`).join(', ')}`);
    process.exitCode = 1;
  }
}

if (arg('--serve')) await serve(Number(arg('--serve')));
else await main();
