// Side by side with Trivy on the same Kubernetes objects: `trivy config` (its embedded KSV checks,
// offline) and `posture scan` on one directory of manifests, one object per file, then a table per
// object of the concepts each tool flagged, every difference explained. Writes docs/peers/trivy-kubernetes.md.
// Builds Trivy first when .tools/bin/trivy is missing (scripts/peers/trivy-build.sh, about 20 minutes).
// Usage: npx tsx scripts/peers/trivy-kubernetes.ts [--out FILE]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { z } from 'zod';
import { repoRoot } from '../../policies/layout.ts';
import { namespaceObjects, rbacObjects, workloadObjects } from '../../test/fixtures/kubernetes/rule-objects.ts';
import { concepts, conceptOfKsv, conceptOfRule, explain, type Difference } from './trivy-kubernetes-concepts.ts';

const trivy = path.join(repoRoot, '.tools', 'bin', 'trivy');
const out = process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]! : path.join(repoRoot, 'docs', 'peers', 'trivy-kubernetes.md');

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } & Record<string, unknown>;
const objectKey = (o: Obj) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

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

const TrivyReport = z.object({
  Results: z
    .array(
      z.object({
        Target: z.string(),
        Misconfigurations: z.array(z.object({ ID: z.string(), AVDID: z.string().optional(), Title: z.string(), Status: z.string(), Severity: z.string() })).optional(),
      }),
    )
    .default([]),
});

const PostureReport = z.object({
  assets: z.array(z.object({ id: z.string(), kind: z.string(), source: z.string().optional(), rbacBinding: z.unknown().optional() })),
  findings: z.array(z.object({ ruleId: z.string(), assetId: z.string(), path: z.string() })),
});

/** KSV-0017 / KSV017 / AVD-KSV-0017 → KSV-0017. */
function ksvId(id: string): string {
  const m = /KSV-?(\d+)/.exec(id);
  return m ? `KSV-${m[1]!.padStart(4, '0')}` : id;
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = process.hrtime.bigint();
  const value = f();
  return { value, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

function main(): void {
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
      { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, TRIVY_NO_PROGRESS: 'true', TRIVY_OFFLINE_SCAN: 'true' } },
    ),
  );
  const trivyReport = TrivyReport.parse(JSON.parse(trivyRun.value));

  // posture: the CLI as a user runs it, with a registry allow-list so the registry rule has something to judge.
  const config = path.join(work, 'posture.yaml');
  writeFileSync(config, 'image:\n  trustedRegistries: ["*.dkr.ecr.*.amazonaws.com"]\n');
  const postureRun = timed(() => {
    try {
      return execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'posture.js'), 'scan', manifests, '--format', 'json', '--config', config, '--no-history'], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
    } catch (err) {
      const e = err as { status?: number; stdout?: string };
      if (e.status === 1 && e.stdout) return e.stdout; // findings at or above --fail-on
      throw err;
    }
  });
  const postureReport = PostureReport.parse(JSON.parse(postureRun.value));

  // Concepts flagged per object, by each tool. RBAC: Trivy judges the Role/ClusterRole, posture the binding
  // that grants it; a finding on a bound role counts for the binding's row.
  const flagged = new Map<string, { trivy: Map<string, Set<string>>; posture: Map<string, Set<string>> }>();
  const row = (key: string) => {
    let r = flagged.get(key);
    if (!r) flagged.set(key, (r = { trivy: new Map(), posture: new Map() }));
    return r;
  };
  const add = (m: Map<string, Set<string>>, concept: string, id: string) => m.set(concept, (m.get(concept) ?? new Set()).add(id));

  const bindingsOfRole = new Map<string, string[]>();
  for (const o of files.values()) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    const ref = o.roleRef as { kind: string; name: string };
    const roleKey = ref.kind === 'Role' ? `Role ${o.metadata.namespace}/${ref.name}` : `ClusterRole ${ref.name}`;
    bindingsOfRole.set(roleKey, [...(bindingsOfRole.get(roleKey) ?? []), objectKey(o)]);
  }

  const unmapped = new Set<string>();
  for (const result of trivyReport.Results) {
    const o = files.get(path.basename(result.Target));
    if (!o) continue;
    const key = objectKey(o);
    // Trivy reads a ConfigMap on its own; posture reports its credentials on the namespace that holds it.
    const keys =
      o.kind === 'Role' || o.kind === 'ClusterRole'
        ? (bindingsOfRole.get(key) ?? [key])
        : o.kind === 'ConfigMap'
          ? [`Namespace ${o.metadata.namespace ?? 'default'}`]
          : [key];
    for (const m of result.Misconfigurations ?? []) {
      if (m.Status !== 'FAIL') continue;
      const id = ksvId(m.AVDID ?? m.ID);
      const concept = conceptOfKsv(id);
      if (!concept) unmapped.add(`${id} ${m.Title}`);
      for (const k of keys) add(row(k).trivy, concept ?? `trivy-only:${id}`, id);
    }
  }
  const assetObject = new Map(postureReport.assets.map((a) => [a.id, a.source ? files.get(path.basename(a.source)) : undefined]));
  for (const f of postureReport.findings) {
    const o = assetObject.get(f.assetId);
    if (!o) continue;
    const concept = conceptOfRule(f.ruleId, f.path);
    if (!concept) continue; // residency and other rules outside the comparison
    add(row(objectKey(o)).posture, concept, f.ruleId);
  }

  const windowsObjects = new Set(
    [...files.values()].filter((o) => (o.spec as { os?: { name?: string } } | undefined)?.os?.name === 'windows').map(objectKey),
  );

  // Every difference must have an explanation; an unexplained one fails the run.
  const differences: Difference[] = [];
  const lines: string[] = [];
  let agreed = 0;
  const keys = [...flagged.keys()].sort();
  for (const key of keys) {
    const r = flagged.get(key)!;
    const all = [...new Set([...r.trivy.keys(), ...r.posture.keys()])].sort();
    for (const concept of all) {
      const t = [...(r.trivy.get(concept) ?? [])].sort();
      const p = [...(r.posture.get(concept) ?? [])].sort();
      if (t.length > 0 && p.length > 0) {
        agreed++;
        continue;
      }
      const d: Difference = { object: key, concept, trivy: t, posture: p, why: '' };
      d.why = explain(d, { trivyConcepts: new Set(r.trivy.keys()), windows: windowsObjects.has(key) });
      differences.push(d);
    }
    const cell = (m: Map<string, Set<string>>) => [...new Set([...m.values()].flatMap((s) => [...s]))].sort().join(' ') || '—';
    lines.push(`| ${key} | ${cell(r.trivy)} | ${cell(r.posture)} |`);
  }
  const unexplained = differences.filter((d) => d.why.startsWith('UNEXPLAINED'));
  // Per concept: on how many objects both flagged it, only Trivy, only posture.
  const perConcept = new Map<string, { both: number; trivy: number; posture: number }>();
  for (const r of flagged.values()) {
    for (const concept of new Set([...r.trivy.keys(), ...r.posture.keys()])) {
      const c = perConcept.get(concept) ?? { both: 0, trivy: 0, posture: 0 };
      if (r.trivy.has(concept) && r.posture.has(concept)) c.both++;
      else if (r.trivy.has(concept)) c.trivy++;
      else c.posture++;
      perConcept.set(concept, c);
    }
  }
  const conceptRows = [...perConcept.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, c]) => `| ${concepts[id]?.title ?? id} | ${(concepts[id]?.ksv ?? []).join(' ') || '—'} | ${(concepts[id]?.rules ?? []).map((r) => r.split(':')[0]).filter((r, i, a) => a.indexOf(r) === i).join(' ') || '—'} | ${c.both} | ${c.trivy} | ${c.posture} |`);

  const md = [
    '# Trivy and posture on the same Kubernetes objects',
    '',
    `Generated by \`scripts/peers/trivy-kubernetes.ts\`. ${version} (embedded checks, \`trivy config --skip-check-update\`${isolated ? ', run in an empty network namespace' : ', offline flags only'}) and`,
    `\`posture scan\` (trusted registries \`*.dkr.ecr.*.amazonaws.com\`) on ${files.size} objects, one per file: the planted estate`,
    'of `samples/kubernetes` and the rule fixtures of `test/fixtures/kubernetes/rule-objects.ts` (one hardened pod, one variant per',
    'flaw, namespaces and RBAC objects).',
    '',
    `Wall time on this machine (2 cores shared with other jobs): trivy ${(trivyRun.ms / 1000).toFixed(1)} s, posture ${(postureRun.ms / 1000).toFixed(1)} s (CLI start-up included).`,
    '',
    `A concept is one thing both tools can flag (e.g. "privileged container"); ${agreed} (object, concept) pairs agree, ${differences.length} differ, each explained below.`,
    'Trivy judges a Role or ClusterRole object; posture judges the binding that grants it, so Trivy findings on a bound role appear in the binding\'s row.',
    '',
    '## Per concept',
    '',
    '| concept | Trivy checks | posture rules | objects flagged by both | Trivy only | posture only |',
    '|---|---|---|---|---|---|',
    ...conceptRows,
    '',
    '`trivy k8s` against a live API server is not compared here: it needs the kube-apiserver stand-in of the Kubernetes collector work.',
    '',
    '## Findings per object',
    '',
    '| object | Trivy (failed KSV checks) | posture (rules) |',
    '|---|---|---|',
    ...lines,
    '',
    '## Every difference',
    '',
    '| object | concept | Trivy | posture | why |',
    '|---|---|---|---|---|',
    ...differences.map((d) => `| ${d.object} | ${concepts[d.concept]?.title ?? d.concept} | ${d.trivy.join(' ') || '—'} | ${d.posture.join(' ') || '—'} | ${d.why} |`),
    '',
    unmapped.size ? `Trivy checks with no posture concept: ${[...unmapped].sort().join('; ')}.` : '',
    '',
  ].join('\n');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, md);
  process.stderr.write(`wrote ${path.relative(process.cwd(), out)}: ${agreed} agree, ${differences.length} differ, ${unexplained.length} unexplained\n`);
  if (unexplained.length) {
    for (const d of unexplained) process.stderr.write(`unexplained: ${d.object} ${d.concept} trivy=[${d.trivy}] posture=[${d.posture}]\n`);
    process.exitCode = 1;
  }
}

main();
