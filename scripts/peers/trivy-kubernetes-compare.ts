// One side-by-side of Trivy and posture on a set of Kubernetes objects, whatever read them (`trivy config`
// on files, `trivy k8s` on a live API server): the concepts each tool flagged per object, where they agree,
// and every difference with its explanation (trivy-kubernetes-concepts.ts). An unexplained one is returned
// so the caller can fail the run.
import { concepts, conceptOfKsv, conceptOfRule, explain, type Difference } from './trivy-kubernetes-concepts.ts';

export type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<string, unknown>;
export const objectKey = (o: { kind: string; metadata: { name: string; namespace?: string } }) =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** KSV-0017 / KSV017 / AVD-KSV-0017 → KSV-0017. */
export function ksvId(id: string): string {
  const m = /KSV-?(\d+)/.exec(id);
  return m ? `KSV-${m[1]!.padStart(4, '0')}` : id;
}

export interface Comparison {
  agreed: number;
  differences: Difference[];
  unexplained: Difference[];
  /** Trivy checks with no concept, as `KSV-xxxx title`. */
  unmapped: string[];
  /** Markdown rows: per concept, per object, per difference. */
  conceptRows: string[];
  objectRows: string[];
  differenceRows: string[];
  /** Per object: the KSV ids and rule ids each tool reported (for comparing one tool's two runs). */
  perObject: Map<string, { trivy: string[]; posture: string[] }>;
}

export interface CompareInput {
  objects: Iterable<Obj>;
  /** A failed Trivy check on an object. */
  trivy: { object: Obj; id: string; title: string }[];
  /** A posture finding on an object. */
  posture: { object: Obj; ruleId: string; path: string }[];
  /** Aggregated ClusterRoles whose rules are empty where the objects were read (a cluster without controller-manager). */
  unfilledAggregatedRoles?: ReadonlySet<string>;
}

/**
 * Trivy judges a Role or ClusterRole object and reads a ConfigMap on its own; posture judges the binding that
 * grants a role and reports a ConfigMap's credentials on its namespace. Trivy's findings are moved to the row
 * posture uses for the same thing.
 */
export function compare(input: CompareInput): Comparison {
  const objects = [...input.objects];
  const flagged = new Map<string, { trivy: Map<string, Set<string>>; posture: Map<string, Set<string>> }>();
  const row = (key: string) => {
    let r = flagged.get(key);
    if (!r) flagged.set(key, (r = { trivy: new Map(), posture: new Map() }));
    return r;
  };
  const add = (m: Map<string, Set<string>>, concept: string, id: string) => m.set(concept, (m.get(concept) ?? new Set()).add(id));
  const perObject = new Map<string, { trivy: string[]; posture: string[] }>();
  const note = (key: string, tool: 'trivy' | 'posture', id: string) => {
    const r = perObject.get(key) ?? { trivy: [], posture: [] };
    if (!r[tool].includes(id)) r[tool].push(id);
    perObject.set(key, r);
  };

  const bindingsOfRole = new Map<string, string[]>();
  for (const o of objects) {
    if (o.kind !== 'RoleBinding' && o.kind !== 'ClusterRoleBinding') continue;
    const ref = o.roleRef as { kind: string; name: string };
    const roleKey = ref.kind === 'Role' ? `Role ${o.metadata.namespace}/${ref.name}` : `ClusterRole ${ref.name}`;
    bindingsOfRole.set(roleKey, [...(bindingsOfRole.get(roleKey) ?? []), objectKey(o)]);
  }

  const unmapped = new Set<string>();
  for (const t of input.trivy) {
    const key = objectKey(t.object);
    const id = ksvId(t.id);
    note(key, 'trivy', id);
    const keys =
      t.object.kind === 'Role' || t.object.kind === 'ClusterRole'
        ? (bindingsOfRole.get(key) ?? [key])
        : t.object.kind === 'ConfigMap'
          ? [`Namespace ${t.object.metadata.namespace ?? 'default'}`]
          : [key];
    const concept = conceptOfKsv(id);
    if (!concept) unmapped.add(`${id} ${t.title}`);
    for (const k of keys) add(row(k).trivy, concept ?? `trivy-only:${id}`, id);
  }
  for (const p of input.posture) {
    note(objectKey(p.object), 'posture', p.ruleId);
    const concept = conceptOfRule(p.ruleId, p.path);
    if (!concept) continue; // residency and other rules outside the comparison
    add(row(objectKey(p.object)).posture, concept, p.ruleId);
  }

  const windowsObjects = new Set(objects.filter((o) => (o.spec as { os?: { name?: string } } | undefined)?.os?.name === 'windows').map(objectKey));
  const bootstrapObjects = new Set(objects.filter((o) => o.metadata.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults').map(objectKey));
  const aggregatedRoleOf = new Map(
    objects.flatMap((o) => {
      const ref = o.roleRef as { kind?: string; name?: string } | undefined;
      return o.kind.endsWith('RoleBinding') && ref?.kind === 'ClusterRole' && ref.name && input.unfilledAggregatedRoles?.has(ref.name) ? [[objectKey(o), ref.name] as const] : [];
    }),
  );
  const differences: Difference[] = [];
  const objectRows: string[] = [];
  let agreed = 0;
  for (const key of [...flagged.keys()].sort()) {
    const r = flagged.get(key)!;
    for (const concept of [...new Set([...r.trivy.keys(), ...r.posture.keys()])].sort()) {
      const t = [...(r.trivy.get(concept) ?? [])].sort();
      const p = [...(r.posture.get(concept) ?? [])].sort();
      if (t.length > 0 && p.length > 0) {
        agreed++;
        continue;
      }
      const d: Difference = { object: key, concept, trivy: t, posture: p, why: '' };
      const aggregatedRole = aggregatedRoleOf.get(key);
      d.why = explain(d, { trivyConcepts: new Set(r.trivy.keys()), windows: windowsObjects.has(key), bootstrap: bootstrapObjects.has(key), ...(aggregatedRole ? { aggregatedRole } : {}) });
      differences.push(d);
    }
    const cell = (m: Map<string, Set<string>>) => [...new Set([...m.values()].flatMap((s) => [...s]))].sort().join(' ') || '—';
    objectRows.push(`| ${key} | ${cell(r.trivy)} | ${cell(r.posture)} |`);
  }

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
    .map(
      ([id, c]) =>
        `| ${concepts[id]?.title ?? id} | ${(concepts[id]?.ksv ?? []).join(' ') || '—'} | ${(concepts[id]?.rules ?? []).map((r) => r.split(':')[0]).filter((r, i, a) => a.indexOf(r) === i).join(' ') || '—'} | ${c.both} | ${c.trivy} | ${c.posture} |`,
    );
  const differenceRows = differences.map((d) => `| ${d.object} | ${concepts[d.concept]?.title ?? d.concept} | ${d.trivy.join(' ') || '—'} | ${d.posture.join(' ') || '—'} | ${d.why} |`);
  for (const r of perObject.values()) {
    r.trivy.sort();
    r.posture.sort();
  }
  return { agreed, differences, unexplained: differences.filter((d) => d.why.startsWith('UNEXPLAINED')), unmapped: [...unmapped].sort(), conceptRows, objectRows, differenceRows, perObject };
}

export const conceptHeader = ['| concept | Trivy checks | posture rules | objects flagged by both | Trivy only | posture only |', '|---|---|---|---|---|---|'];
export const objectHeader = ['| object | Trivy (failed KSV checks) | posture (rules) |', '|---|---|---|'];
export const differenceHeader = ['| object | concept | Trivy | posture | why |', '|---|---|---|---|---|'];
