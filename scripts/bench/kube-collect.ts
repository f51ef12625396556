// Benchmark: the real kube-apiserver stand-in (start time and memory) and reading a cluster through the
// Kubernetes API, against the floor of fetching the same lists unpaged with nothing parsed or kept.
//   npx tsx scripts/bench/kube-collect.ts [--namespaces 20] [--pods 50] [--starts 3]
// The estate is synthetic: each namespace gets `pods` Pods and as many ConfigMaps, a Deployment, a
// ServiceAccount and a RoleBinding. posture reads it with its default page size (500) and caps.
import { parseArgs } from 'node:util';
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
} finally {
  await api.stop();
}
