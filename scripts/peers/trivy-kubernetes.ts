// Side by side with Trivy on the same Kubernetes objects, read two ways:
//   files  `trivy config` (its embedded KSV checks, offline) and `posture scan` on one directory of manifests,
//          one object per file;
//   live   the same objects created in a real kube-apiserver (test/standins/kube-apiserver.ts), then
//          `trivy k8s` and `posture scan --kubernetes` against it.
// Per object, the concepts each tool flagged, every difference explained (trivy-kubernetes-concepts.ts; an
// unexplained one fails the run), and what reading through the API changed for each tool. Writes
// docs/peers/trivy-kubernetes.md. Builds Trivy first when .tools/bin/trivy is missing
// (scripts/peers/trivy-build.sh, about 20 minutes).
// Usage: npx tsx scripts/peers/trivy-kubernetes.ts [--out FILE] [--no-live]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { z } from 'zod';
import { repoRoot } from '../../policies/layout.ts';
import { listPath, namespaceKind, objectKinds, type KindSpec } from '../../providers/kubernetes/api/kinds.ts';
import { namespaceObjects, rbacObjects, workloadObjects } from '../../test/fixtures/kubernetes/rule-objects.ts';
import { startKubeApiServer, type KubeApiServer } from '../../test/standins/kube-apiserver.ts';
import { compare, conceptHeader, differenceHeader, objectHeader, objectKey, type Comparison, type Obj } from './trivy-kubernetes-compare.ts';

const trivy = path.join(repoRoot, '.tools', 'bin', 'trivy');
const argv = process.argv.slice(2);
const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1]! : path.join(repoRoot, 'docs', 'peers', 'trivy-kubernetes.md');
const live = !argv.includes('--no-live');
const trustedRegistries = '*.dkr.ecr.*.amazonaws.com';

/** One file per object, so each tool's result names the object by its file. */
function writeManifests(dir: string): Map<string, Obj> {
  const samples = readdirSync(path.join(repoRoot, 'samples', 'kubernetes'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => parseAllDocuments(readFileSync(path.join(repoRoot, 'samples', 'kubernetes', f), 'utf8')).map((d) => d.toJS() as Obj));
  const objects = [...samples, ...([...workloadObjects, ...namespaceObjects, ...rbacObjects] as Obj[])];
  const byFile = new Map<string, Obj>();
  for (const o of objects) {
    const file = `${o.kind}-${o.metadata.namespace ?? 'cluster'}-${o.metadata.name}.yaml`.replace(/[^A-Za-z0-9._-]/g, '_');
    if (byFile.has(file)) throw new Error(`two objects want ${file}`);
    writeFileSync(path.join(dir, file), stringify(o));
    byFile.set(file, o);
  }
  return byFile;
}

const Misconfiguration = z.object({ ID: z.string(), AVDID: z.string().optional(), Title: z.string(), Status: z.string(), Severity: z.string() });
const TrivyConfigReport = z.object({
  Results: z.array(z.object({ Target: z.string(), Misconfigurations: z.array(Misconfiguration).optional() })).default([]),
});
/** `trivy k8s --format json --report all`: one entry per resource. */
const TrivyK8sReport = z.object({
  Resources: z
    .array(
      z.object({
        Namespace: z.string().optional(),
        Kind: z.string(),
        Name: z.string(),
        Results: z.array(z.object({ Misconfigurations: z.array(Misconfiguration).nullish() })).nullish(),
      }),
    )
    .nullish(),
});
const PostureReport = z.object({
  assets: z.array(z.object({ id: z.string(), kind: z.string(), source: z.string().optional() })),
  findings: z.array(z.object({ ruleId: z.string(), assetId: z.string(), path: z.string() })),
  errors: z.array(z.object({ message: z.string() })).default([]),
});

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = process.hrtime.bigint();
  const value = f();
  return { value, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

/** The CLI as a user runs it; exit 1 (findings at or above --fail-on) still has a report. */
function postureScan(args: string[]): string {
  try {
    return execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'posture.js'), 'scan', ...args, '--format', 'json', '--no-history'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  } catch (err) {
    const e = err as { status?: number; stdout?: string };
    if (e.status === 1 && e.stdout) return e.stdout;
    throw err;
  }
}

/** `k8s://<cluster>/<namespace or _cluster>/<Kind>/<name>` → `Kind namespace/name`. */
function keyOfAssetId(id: string): string | undefined {
  const m = /^k8s:\/\/[^/]+\/([^/]+)\/([^/]+)\/(.+)$/.exec(id);
  if (!m) return undefined;
  return `${m[2]} ${m[1] === '_cluster' ? '' : `${m[1]}/`}${m[3]}`;
}

function section(title: string, c: Comparison, intro: string[]): string[] {
  return [
    `## ${title}`,
    '',
    ...intro,
    '',
    `A concept is one thing both tools can flag (e.g. "privileged container"); ${c.agreed} (object, concept) pairs agree, ${c.differences.length} differ, each explained below.`,
    '',
    '### Per concept',
    '',
    ...conceptHeader,
    ...c.conceptRows,
    '',
    '### Findings per object',
    '',
    ...objectHeader,
    ...c.objectRows,
    '',
    '### Every difference',
    '',
    ...differenceHeader,
    ...c.differenceRows,
    '',
    c.unmapped.length ? `Trivy checks with no posture concept: ${c.unmapped.join('; ')}.` : '',
    '',
  ];
}

/** The first objects every Pod needs; namespaces before what they hold, pods last. */
const createOrder = ['Namespace', 'ServiceAccount', 'ConfigMap', 'Secret', 'ClusterRole', 'Role', 'ClusterRoleBinding', 'RoleBinding', 'NetworkPolicy', 'Service'];
const rank = (kind: string) => (createOrder.includes(kind) ? createOrder.indexOf(kind) : createOrder.length);
const specOf = (o: Obj): KindSpec | undefined =>
  [namespaceKind, ...objectKinds].find((k) => k.kind === o.kind && (k.group ? `${k.group}/${k.version}` : k.version) === o.apiVersion);

interface Planted {
  /** Objects in the cluster, by key (created, or already there as the API server's own). */
  present: Map<string, Obj>;
  /** Objects the API server already had (bootstrap RBAC, the default and kube-system namespaces). */
  existing: string[];
  refused: { key: string; why: string }[];
  /** default ServiceAccounts created because a namespace's Pods need one and the manifests had none. */
  addedServiceAccounts: string[];
}

/**
 * Creates the objects as an admin would with kubectl apply. Pod Security labels go on the namespaces last:
 * the planted pods break the standards their namespaces enforce, and admission would refuse them otherwise
 * (a label added later only warns, as in a cluster that tightened a namespace after the fact).
 */
async function plant(api: KubeApiServer, objects: Obj[]): Promise<Planted> {
  const present = new Map<string, Obj>();
  const existing: string[] = [];
  const refused: { key: string; why: string }[] = [];
  const addedServiceAccounts: string[] = [];
  const labelsLater: { name: string; labels: Record<string, string> }[] = [];
  const create = async (o: Obj) => {
    const spec = specOf(o);
    if (!spec) return refused.push({ key: objectKey(o), why: `no API path for ${o.apiVersion} ${o.kind}` });
    try {
      await api.admin$('POST', listPath(spec, spec.namespaced ? (o.metadata.namespace ?? 'default') : undefined), o);
      present.set(objectKey(o), o);
    } catch (err) {
      const message = (err as Error).message;
      if (/HTTP 409/.test(message)) {
        existing.push(objectKey(o));
        present.set(objectKey(o), o);
      } else refused.push({ key: objectKey(o), why: message.replace(/^POST \S+: /, '').slice(0, 300) });
    }
  };
  const sorted = [...objects].sort((a, b) => rank(a.kind) - rank(b.kind));
  for (const o of sorted.filter((x) => x.kind === 'Namespace')) {
    const labels = Object.fromEntries(Object.entries(o.metadata.labels ?? {}).filter(([k]) => k.startsWith('pod-security.kubernetes.io/')));
    if (Object.keys(labels).length) labelsLater.push({ name: o.metadata.name, labels });
    const rest = Object.fromEntries(Object.entries(o.metadata.labels ?? {}).filter(([k]) => !k.startsWith('pod-security.kubernetes.io/')));
    await create({ ...o, metadata: { ...o.metadata, labels: rest } });
    present.set(objectKey(o), o);
  }
  // Admission refuses a Pod whose ServiceAccount does not exist, and without a controller-manager nobody creates
  // the `default` ones: each one a Pod names and the manifests lack is created (and listed).
  const needed = new Set(objects.filter((o) => o.kind === 'Pod').map((o) => `${o.metadata.namespace ?? 'default'}/${(o.spec as { serviceAccountName?: string }).serviceAccountName ?? 'default'}`));
  for (const ref of [...needed].sort()) {
    const [namespace, name] = ref.split('/') as [string, string];
    if (objects.some((o) => o.kind === 'ServiceAccount' && o.metadata.name === name && (o.metadata.namespace ?? 'default') === namespace)) continue;
    const sa: Obj = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } };
    await create(sa);
    addedServiceAccounts.push(objectKey(sa));
  }
  for (const o of sorted.filter((x) => x.kind !== 'Namespace')) await create(o);
  for (const { name, labels } of labelsLater) await api.admin$('PATCH', `/api/v1/namespaces/${name}`, { metadata: { labels } });
  return { present, existing, refused, addedServiceAccounts };
}

async function liveRun(objects: Obj[], work: string, isolatedEnv: NodeJS.ProcessEnv) {
  const token = 'posture-peer-reader-0123456789abcdef';
  const api = await startKubeApiServer({ tokens: { [token]: { user: 'posture-peer' } } });
  try {
    for (const doc of parseAllDocuments(readFileSync(path.join(repoRoot, 'providers/kubernetes/rbac/posture-reader.yaml'), 'utf8'))) {
      await api.admin$('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', doc.toJSON());
    }
    await api.admin$('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
      metadata: { name: 'posture-peer' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'posture-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'posture-peer' }],
    });
    const planted = await plant(api, objects);
    const cluster = { name: 'peer', cluster: { server: api.url, 'certificate-authority-data': Buffer.from(api.ca).toString('base64') } };
    const kubeconfig = (file: string, user: Record<string, string>) => {
      writeFileSync(
        file,
        stringify({ apiVersion: 'v1', kind: 'Config', clusters: [cluster], users: [{ name: 'u', user }], contexts: [{ name: 'peer', context: { cluster: 'peer', user: 'u' } }], 'current-context': 'peer' }),
        { mode: 0o600 },
      );
      return file;
    };
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    // Trivy with the admin certificate (its documented setup is a cluster-wide reader of everything); posture with
    // the token of a user bound to the shipped posture-reader ClusterRole, as it is deployed.
    const trivyKubeconfig = kubeconfig(path.join(work, 'trivy.kubeconfig'), { 'client-certificate-data': b64(api.admin.cert), 'client-key-data': b64(api.admin.key) });
    const postureKubeconfig = kubeconfig(path.join(work, 'posture.kubeconfig'), { token });
    const trivyRun = timed(() =>
      execFileSync(
        trivy,
        [
          'k8s',
          '--kubeconfig', trivyKubeconfig,
          '--format', 'json',
          '--report', 'all',
          '--scanners', 'misconfig,rbac',
          '--disable-node-collector',
          '--skip-images',
          '--quiet',
          '--skip-check-update',
          '--skip-version-check',
          '--disable-telemetry',
          '--cache-dir', path.join(work, 'trivy-k8s-cache'),
          '--timeout', '15m',
          '--exit-code', '0',
        ],
        { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: isolatedEnv },
      ),
    );
    const trivyReport = TrivyK8sReport.parse(JSON.parse(trivyRun.value));
    const config = path.join(work, 'posture-live.yaml');
    writeFileSync(config, `image:\n  trustedRegistries: ["${trustedRegistries}"]\nkubernetes:\n  imagesPerCluster: 0\n`);
    const postureRun = timed(() => postureScan(['--kubernetes', '--kubeconfig', postureKubeconfig, '--config', config]));
    const postureReport = PostureReport.parse(JSON.parse(postureRun.value));
    if (postureReport.errors.length) throw new Error(`posture scan --kubernetes: ${postureReport.errors.map((e) => e.message).join('; ')}`);

    // Only the objects planted are compared: the API server's own bootstrap roles and bindings are judged by both
    // tools too, but belong to no manifest. A planted binding's role that the API server ships (view, edit,
    // cluster-admin) is compared as part of that binding.
    const present = planted.present;
    const trivyFlags: { object: Obj; id: string; title: string }[] = [];
    const rolesOfPlantedBindings = new Set(
      [...present.values()].filter((o) => o.kind.endsWith('RoleBinding')).map((o) => {
        const ref = o.roleRef as { kind: string; name: string };
        return ref.kind === 'Role' ? `Role ${o.metadata.namespace}/${ref.name}` : `ClusterRole ${ref.name}`;
      }),
    );
    let trivyResources = 0;
    for (const r of trivyReport.Resources ?? []) {
      trivyResources++;
      const key = `${r.Kind} ${r.Namespace ? `${r.Namespace}/` : ''}${r.Name}`;
      const object: Obj | undefined =
        present.get(key) ?? (rolesOfPlantedBindings.has(key) ? { apiVersion: 'rbac.authorization.k8s.io/v1', kind: r.Kind, metadata: { name: r.Name, ...(r.Namespace ? { namespace: r.Namespace } : {}) } } : undefined);
      if (!object) continue;
      for (const result of r.Results ?? []) {
        for (const m of result.Misconfigurations ?? []) if (m.Status === 'FAIL') trivyFlags.push({ object, id: m.AVDID ?? m.ID, title: m.Title });
      }
    }
    const postureFlags = postureReport.findings.flatMap((f) => {
      const key = keyOfAssetId(f.assetId);
      const object = key ? present.get(key) : undefined;
      return object ? [{ object, ruleId: f.ruleId, path: f.path }] : [];
    });
    const roles = (await api.admin$('GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles')) as { items: { metadata: { name: string }; aggregationRule?: unknown; rules?: unknown[] | null }[] };
    const unfilledAggregatedRoles = new Set(roles.items.filter((r) => r.aggregationRule && !(r.rules ?? []).length).map((r) => r.metadata.name));
    return {
      planted,
      unfilledAggregatedRoles: [...unfilledAggregatedRoles].sort(),
      comparison: compare({ objects: present.values(), trivy: trivyFlags, posture: postureFlags, unfilledAggregatedRoles }),
      trivyMs: trivyRun.ms,
      postureMs: postureRun.ms,
      trivyResources,
      postureAssets: postureReport.assets.length,
      startedInMs: api.startedInMs,
    };
  } finally {
    await api.stop();
  }
}

interface Drift {
  tool: 'trivy' | 'posture';
  key: string;
  gained: string[];
  lost: string[];
  why: string;
}

/**
 * Per object, what one tool reported from the API server and not from the file (gained), or the reverse (lost),
 * and why: what the API server adds or refuses, and what it holds beyond the manifests.
 */
function drifts(files: Map<string, Obj>, planted: Planted, fromFiles: Comparison, fromApi: Comparison): Drift[] {
  const inFiles = new Set([...files.values()].map(objectKey));
  const refused = new Set(planted.refused.map((r) => r.key));
  const out: Drift[] = [];
  for (const tool of ['trivy', 'posture'] as const) {
    for (const key of [...new Set([...fromFiles.perObject.keys(), ...fromApi.perObject.keys()])].sort()) {
      const a = fromFiles.perObject.get(key)?.[tool] ?? [];
      const b = fromApi.perObject.get(key)?.[tool] ?? [];
      const gained = b.filter((x) => !a.includes(x));
      const lost = a.filter((x) => !b.includes(x));
      if (!gained.length && !lost.length) continue;
      const object = planted.present.get(key) ?? [...files.values()].find((o) => objectKey(o) === key);
      const ref = object?.roleRef as { kind?: string; name?: string } | undefined;
      let why = 'UNEXPLAINED';
      if (refused.has(key)) why = 'The API server refused the object (see above): it exists in manifests only.';
      else if (!inFiles.has(key)) why = "The API server's own object, which no manifest holds.";
      else if (tool === 'trivy' && lost.length === 0 && gained.every((x) => x === 'KSV-0036'))
        why = "The ServiceAccount admission plugin mounts the token (a projected volume at /var/run/secrets/kubernetes.io/serviceaccount) into a pod that does not turn automount off; KSV-0036 sees the volume only once it is there. posture takes the effective value from the files already (WKL-040 both ways).";
      else if (tool === 'trivy' && lost.length === 0 && gained.every((x) => x === 'KSV-0024'))
        why = 'On the host network the API server copies each containerPort into hostPort (defaulting); KSV-0024 reads the written hostPort. posture counts them from the files already (WKL-004 both ways).';
      else if (tool === 'posture' && lost.length === 0 && ref?.kind === 'ClusterRole' && ref.name && !inFiles.has(`ClusterRole ${ref.name}`))
        why = `The binding names \`${ref.name}\`, the API server's own ClusterRole, which no manifest holds: from the files its permissions are unknown (not evaluated), in the cluster they are judged.`;
      out.push({ tool, key, gained, lost, why });
    }
  }
  return out;
}

async function main(): Promise<void> {
  execFileSync('bash', [path.join(repoRoot, 'scripts', 'peers', 'trivy-build.sh')], { stdio: 'inherit' });
  // `go install` leaves Trivy's own version string at "dev"; the module version is recorded in the binary.
  const module = /\smod\s+github\.com\/aquasecurity\/trivy\s+(v\S+)/.exec(execFileSync('go', ['version', '-m', trivy], { encoding: 'utf8' }));
  const version = `Trivy ${module?.[1] ?? '(unknown version)'}`;
  const work = mkdtempSync(path.join(tmpdir(), 'posture-trivy-'));
  const manifests = path.join(work, 'manifests');
  mkdirSync(manifests);
  const files = writeManifests(manifests);

  // Trivy: embedded checks only, nothing fetched (no check bundle, no vulnerability DB: `config` needs none).
  // Run in an empty network namespace where the machine allows it: then offline is a fact, not a flag.
  const isolated = (() => {
    try {
      execFileSync('unshare', ['--net', 'true'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  const offlineEnv = { ...process.env, TRIVY_NO_PROGRESS: 'true', TRIVY_OFFLINE_SCAN: 'true' };
  const trivyRun = timed(() =>
    execFileSync(
      isolated ? 'unshare' : trivy,
      [
        ...(isolated ? ['--net', trivy] : []),
        'config',
        '--format', 'json',
        '--quiet',
        '--skip-check-update',
        '--skip-version-check',
        '--disable-telemetry',
        '--cache-dir', path.join(work, 'trivy-cache'),
        '--exit-code', '0',
        manifests,
      ],
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: offlineEnv },
    ),
  );
  const trivyReport = TrivyConfigReport.parse(JSON.parse(trivyRun.value));

  // posture: the CLI as a user runs it, with a registry allow-list so the registry rule has something to judge.
  const config = path.join(work, 'posture.yaml');
  writeFileSync(config, `image:\n  trustedRegistries: ["${trustedRegistries}"]\n`);
  const postureRun = timed(() => postureScan([manifests, '--config', config]));
  const postureReport = PostureReport.parse(JSON.parse(postureRun.value));

  const trivyFlags = trivyReport.Results.flatMap((result) => {
    const object = files.get(path.basename(result.Target));
    return object ? (result.Misconfigurations ?? []).filter((m) => m.Status === 'FAIL').map((m) => ({ object, id: m.AVDID ?? m.ID, title: m.Title })) : [];
  });
  const assetObject = new Map(postureReport.assets.map((a) => [a.id, a.source ? files.get(path.basename(a.source)) : undefined]));
  const postureFlags = postureReport.findings.flatMap((f) => {
    const object = assetObject.get(f.assetId);
    return object ? [{ object, ruleId: f.ruleId, path: f.path }] : [];
  });
  const fromFiles = compare({ objects: files.values(), trivy: trivyFlags, posture: postureFlags });

  // Live: the API server is on loopback, so no empty network namespace; a proxy that does not exist stands for
  // the rest of the network (client-go and Trivy's HTTP clients honour it; loopback is exempt).
  const liveRead = live
    ? await liveRun([...files.values()], work, { ...offlineEnv, HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost' })
    : undefined;
  const live$ = liveRead ? { ...liveRead, drifts: drifts(files, liveRead.planted, fromFiles, liveRead.comparison) } : undefined;

  const md = [
    '# Trivy and posture on the same Kubernetes objects',
    '',
    `Generated by \`scripts/peers/trivy-kubernetes.ts\` (\`npm run peer:trivy-kubernetes\`). ${version} with its embedded checks against`,
    `\`posture scan\` (trusted registries \`${trustedRegistries}\`) on ${files.size} objects: the planted estate of \`samples/kubernetes\``,
    'and the rule fixtures of `test/fixtures/kubernetes/rule-objects.ts` (one hardened pod, one variant per flaw, namespaces and RBAC objects),',
    `read two ways: as files (\`trivy config\` / \`posture scan <dir>\`)${live$ ? ', and created in a real kube-apiserver v1.37.2 (`trivy k8s` / `posture scan --kubernetes`)' : ''}.`,
    'Trivy judges a Role or ClusterRole object; posture judges the binding that grants it, so Trivy findings on a bound role appear in the',
    'binding\'s row. Trivy reads a ConfigMap on its own; posture reports its credentials on the namespace, so they share that row.',
    '',
    '| run | objects | agree | differ | unexplained | Trivy wall (s) | posture wall (s) |',
    '|---|---|---|---|---|---|---|',
    `| files | ${files.size} | ${fromFiles.agreed} | ${fromFiles.differences.length} | ${fromFiles.unexplained.length} | ${(trivyRun.ms / 1000).toFixed(1)} | ${(postureRun.ms / 1000).toFixed(1)} |`,
    ...(live$
      ? [`| live API server | ${live$.planted.present.size} | ${live$.comparison.agreed} | ${live$.comparison.differences.length} | ${live$.comparison.unexplained.length} | ${(live$.trivyMs / 1000).toFixed(1)} | ${(live$.postureMs / 1000).toFixed(1)} |`]
      : []),
    '',
    'Wall times on this machine (2 cores shared with other jobs), CLI start-up included.',
    '',
    ...section('Files: `trivy config` and `posture scan <dir>`', fromFiles, [
      `Trivy ${isolated ? 'ran in an empty network namespace' : 'ran with its offline flags only'} (\`--skip-check-update\`, no vulnerability database).`,
    ]),
    ...(live$
      ? [
          ...section('Live API server: `trivy k8s` and `posture scan --kubernetes`', live$.comparison, [
            `The objects above were created through a real kube-apiserver v1.37.2 with etcd (test/standins/kube-apiserver.ts, ready in ${(live$.startedInMs / 1000).toFixed(1)} s),`,
            'namespaces\' Pod Security labels last (so the planted pods are admitted, as in a namespace tightened after the fact).',
            '`trivy k8s --scanners misconfig,rbac --disable-node-collector --skip-images --skip-check-update` read it with an admin certificate,',
            'with the rest of the network behind a proxy that does not exist; `posture scan --kubernetes` read it with a token bound to the shipped',
            `\`posture-reader\` ClusterRole. Trivy reported ${live$.trivyResources} resources and posture ${live$.postureAssets} assets; only the planted objects (and the`,
            'API server\'s own roles the planted bindings name) are compared: the bootstrap RBAC objects belong to no manifest.',
            '',
            `Already in the cluster (the API server's own, left as they are): ${live$.planted.existing.join(', ') || 'none'}.`,
            `ServiceAccounts added because admission refuses a Pod whose ServiceAccount does not exist: ${live$.planted.addedServiceAccounts.join(', ') || 'none'}.`,
            `Aggregated ClusterRoles left without rules (no controller-manager fills them): ${live$.unfilledAggregatedRoles.join(', ') || 'none'}.`,
            `Refused by the API server: ${live$.planted.refused.map((r) => `${r.key} (${r.why})`).join('; ') || 'none'}.`,
          ]),
          '## What reading through the API changed',
          '',
          'Per object, the checks or rules a tool reported from the API server and not from the file (gained), or the reverse (lost).',
          '',
          '| tool | object | gained | lost | why |',
          '|---|---|---|---|---|',
          ...live$.drifts.map((d) => `| ${d.tool === 'trivy' ? 'Trivy' : 'posture'} | ${d.key} | ${d.gained.join(' ') || '—'} | ${d.lost.join(' ') || '—'} | ${d.why} |`),
          '',
        ]
      : []),
  ].join('\n');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, md);
  const unexplained = [
    ...fromFiles.unexplained,
    ...(live$?.comparison.unexplained ?? []),
    ...(live$?.drifts ?? []).filter((d) => d.why === 'UNEXPLAINED').map((d) => ({ object: d.key, concept: `read through the API (${d.tool})`, trivy: d.tool === 'trivy' ? d.gained : [], posture: d.tool === 'posture' ? d.gained : [], why: d.why })),
  ];
  process.stderr.write(
    `wrote ${path.relative(process.cwd(), out)}: files ${fromFiles.agreed} agree, ${fromFiles.differences.length} differ; ` +
      `${live$ ? `live ${live$.comparison.agreed} agree, ${live$.comparison.differences.length} differ; ` : ''}${unexplained.length} unexplained\n`,
  );
  if (unexplained.length) {
    for (const d of unexplained) process.stderr.write(`unexplained: ${d.object} ${d.concept} trivy=[${d.trivy}] posture=[${d.posture}]\n`);
    process.exitCode = 1;
  }
}

await main();
