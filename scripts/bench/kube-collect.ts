// Benchmark: the real kube-apiserver stand-in (start time and memory) and reading a cluster through the
// Kubernetes API, against the floor of fetching the same lists unpaged with nothing parsed or kept; then what a
// user runs, `posture scan --kubernetes` (CLI start-up, collection, normalizing and every rule), on the same cluster.
//   npm run bench:kube          (or: npx tsx scripts/bench/kube-collect.ts [--namespaces 20] [--pods 50] [--starts 3])
// The estate is synthetic: each namespace gets `pods` Pods and as many ConfigMaps, a Deployment, a
// ServiceAccount and a RoleBinding. posture reads it with its default page size (500) and caps.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { Agent, request } from 'undici';
import { collectClusterObjects } from '../../providers/kubernetes/collect-cluster.ts';
import { listPath, namespaceKind, objectKinds } from '../../providers/kubernetes/api/kinds.ts';
import { KubernetesSettings } from '../../providers/kubernetes/settings.ts';
import { ensureDefaultServiceAccounts, startKubeApiServer, type KubeApiServer } from '../../test/standins/kube-apiserver.ts';

const { values } = parseArgs({ options: { namespaces: { type: 'string', default: '20' }, pods: { type: 'string', default: '50' }, starts: { type: 'string', default: '3' } } });
const namespaces = Number(values.namespaces);
const pods = Number(values.pods);
const starts = Number(values.starts);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function plant(api: KubeApiServer): Promise<number> {
  let objects = 0;
  const names = Array.from({ length: namespaces }, (_, i) => `bench-${i}`);
  for (const ns of names) await api.admin$('POST', '/api/v1/namespaces', { metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } });
  await ensureDefaultServiceAccounts(api, names);
  await Promise.all(
    names.map(async (ns) => {
      for (let p = 0; p < pods; p++) {
        await api.admin$('POST', `/api/v1/namespaces/${ns}/pods`, { metadata: { name: `app-${p}`, namespace: ns, labels: { app: 'app' } }, spec: { containers: [{ name: 'app', image: `registry.example.com/app:${p}`, env: [{ name: 'LOG_LEVEL', value: 'info' }] }] } });
        await api.admin$('POST', `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: `settings-${p}`, namespace: ns }, data: { 'app.properties': `key=${'x'.repeat(200)}` } });
        objects += 2;
      }
      await api.admin$('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, { metadata: { name: 'app', namespace: ns }, spec: { selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1' }] } } } });
      objects += 1;
    }),
  );
  return objects;
}

async function floor(api: KubeApiServer): Promise<{ ms: number; bytes: number }> {
  const dispatcher = new Agent({ connect: { ca: api.ca, cert: api.admin.cert, key: api.admin.key } });
  const started = performance.now();
  let bytes = 0;
  for (const spec of [namespaceKind, ...objectKinds]) {
    const res = await request(`${api.url}${listPath(spec)}`, { dispatcher, headers: { accept: 'application/json' } });
    for await (const chunk of res.body as AsyncIterable<Buffer>) bytes += chunk.length;
  }
  const ms = performance.now() - started;
  await dispatcher.close();
  return { ms, bytes };
}

const startTimes: number[] = [];
const rss: { apiserver: number; etcd: number }[] = [];
for (let i = 0; i < starts - 1; i++) {
  const api = await startKubeApiServer();
  startTimes.push(api.startedInMs);
  rss.push(api.rssKb());
  await api.stop();
}
const api = await startKubeApiServer();
startTimes.push(api.startedInMs);
try {
  const planted = await plant(api);
  rss.push(api.rssKb());
  const connection = { cluster: 'bench', distribution: 'kubernetes' as const, server: api.url, ca: api.ca, clientCertificate: api.admin };
  const runs: { ms: number; bytes: number; objects: number; rssMb: number }[] = [];
  const floors: { ms: number; bytes: number }[] = [];
  for (let i = 0; i < 3; i++) {
    floors.push(await floor(api));
    const started = performance.now();
    const read = await collectClusterObjects(connection, KubernetesSettings.parse({}), 'kubernetes/bench');
    if (read.errors.length) throw new Error(`collection errors: ${JSON.stringify(read.errors.slice(0, 3))}`);
    runs.push({ ms: performance.now() - started, bytes: read.bytes, objects: read.objects.length, rssMb: process.memoryUsage().rss / 1024 / 1024 });
  }
  const load = (await import('node:os')).loadavg()[0]?.toFixed(1);
  console.log(`\nkube-apiserver stand-in (v1.37.2 + etcd 3.4), ${starts} starts, load average ${load}:`);
  console.log('| start to /readyz (ms, median) | apiserver RSS (MB, idle) | etcd RSS (MB, idle) | apiserver RSS (MB, after planting) |');
  console.log('|---|---|---|---|');
  const idle = rss.slice(0, -1).length ? rss.slice(0, -1) : rss;
  console.log(`| ${Math.round(median(startTimes))} (${startTimes.map(Math.round).join(', ')}) | ${Math.round(median(idle.map((r) => r.apiserver)) / 1024)} | ${Math.round(median(idle.map((r) => r.etcd)) / 1024)} | ${Math.round((rss.at(-1)?.apiserver ?? 0) / 1024)} |`);
  console.log(`\nReading ${planted} planted objects (${namespaces} namespaces × ${pods} pods and config maps), median of 3:`);
  console.log('| run | objects | MB read | wall (ms) | vs floor |');
  console.log('|---|---|---|---|---|');
  const f = median(floors.map((x) => x.ms));
  const p = median(runs.map((x) => x.ms));
  console.log(`| floor: unpaged GET of each list, nothing parsed | — | ${(median(floors.map((x) => x.bytes)) / 1024 / 1024).toFixed(1)} | ${Math.round(f)} | 1.00× |`);
  console.log(`| posture collectClusterObjects (paged, bounded, parsed) | ${runs[0]?.objects} | ${(median(runs.map((x) => x.bytes)) / 1024 / 1024).toFixed(1)} | ${Math.round(p)} | ${(p / f).toFixed(2)}× |`);

  // The CLI as a user runs it: a kubeconfig context (admin certificate), images not pulled.
  const dir = mkdtempSync(path.join(tmpdir(), 'posture-bench-kube-'));
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  writeFileSync(
    path.join(dir, 'kubeconfig'),
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'bench', cluster: { server: api.url, 'certificate-authority-data': b64(api.ca) } }],
      users: [{ name: 'admin', user: { 'client-certificate-data': b64(api.admin.cert), 'client-key-data': b64(api.admin.key) } }],
      contexts: [{ name: 'bench', context: { cluster: 'bench', user: 'admin' } }],
      'current-context': 'bench',
    }),
    { mode: 0o600 },
  );
  writeFileSync(path.join(dir, 'posture.yaml'), 'kubernetes:\n  imagesPerCluster: 0\n');
  const cli: { ms: number; assets: number; findings: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    let stdout: string;
    try {
      stdout = execFileSync(process.execPath, ['bin/posture.js', 'scan', '--kubernetes', '--kubeconfig', path.join(dir, 'kubeconfig'), '--config', path.join(dir, 'posture.yaml'), '--format', 'json', '--no-history'], { encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
    } catch (err) {
      const e = err as { status?: number; stdout?: string };
      if (e.status !== 1 || !e.stdout) throw err;
      stdout = e.stdout;
    }
    const report = JSON.parse(stdout) as { assets: unknown[]; findings: unknown[] };
    cli.push({ ms: performance.now() - started, assets: report.assets.length, findings: report.findings.length });
  }
  console.log(`\n\`posture scan --kubernetes\` on the same cluster (CLI start-up, collection, normalizing, every rule), median of 3:`);
  console.log('| assets | findings | wall (ms) | vs collection alone |');
  console.log('|---|---|---|---|');
  const c = median(cli.map((x) => x.ms));
  console.log(`| ${cli[0]?.assets} | ${cli[0]?.findings} | ${Math.round(c)} | ${(c / median(runs.map((x) => x.ms))).toFixed(2)}× |`);
} finally {
  await api.stop();
}
