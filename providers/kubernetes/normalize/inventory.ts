// The input objects read once: Lists flattened, each object checked for kind and name, placed in its
// namespace, and indexed by kind, so the workload, namespace and RBAC normalizers look things up
// instead of scanning. An object that cannot be read is reported by name and left out; the rest go on.
import { z } from 'zod';
import { maxObjects, type KubernetesContext } from './context.ts';
import { clusterScoped, KubeObject } from './objects.ts';

export interface Item {
  object: KubeObject;
  /** The object as given, minus `metadata.managedFields` (server bookkeeping, often larger than the spec). */
  raw: Record<string, unknown>;
  /** null for cluster-scoped kinds. */
  namespace: string | null;
  source: string;
}

export interface Inventory {
  items: Item[];
  byKind(kind: string): Item[];
  /** Namespaced lookup by kind and name. */
  find(kind: string, namespace: string | null, name: string): Item | undefined;
  /** The objects of a kind in one namespace (indexed: clusters have thousands of namespaces). */
  inNamespace(kind: string, namespace: string): Item[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `kind: List` (kubectl get -o json) and typed lists (`PodList` …) unfold into their items; nesting is bounded. */
function* flatten(objects: readonly unknown[], depth = 0): Generator<unknown> {
  for (const o of objects) {
    if (depth < 3 && isObject(o) && Array.isArray(o.items) && (typeof o.kind !== 'string' || o.kind.endsWith('List'))) {
      yield* flatten(o.items, depth + 1);
    } else yield o;
  }
}

function describe(o: unknown): string {
  if (!isObject(o)) return `(a ${Array.isArray(o) ? 'list' : typeof o}, not an object)`;
  const meta = isObject(o.metadata) ? o.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '(no name)';
  return `${typeof o.kind === 'string' ? o.kind : '(no kind)'} ${typeof meta.namespace === 'string' ? `${meta.namespace}/` : ''}${name}`;
}

export function buildInventory(objects: readonly unknown[], ctx: KubernetesContext): Inventory {
  const items: Item[] = [];
  const report = (source: string, object: string, message: string) => {
    if (ctx.onInvalid) ctx.onInvalid({ source, object, message });
    else throw new Error(`${source}: ${object}: ${message}`);
  };
  let count = 0;
  for (const o of flatten(objects)) {
    const source = ctx.sourceOf?.(o) ?? ctx.source ?? ctx.cluster;
    if (++count > maxObjects) {
      report(source, describe(o), `more than ${maxObjects} objects in one input; the rest are not read`);
      break;
    }
    const parsed = KubeObject.safeParse(o);
    if (!parsed.success) {
      report(source, describe(o), `not a Kubernetes object: ${z.prettifyError(parsed.error)}`);
      continue;
    }
    const object = parsed.data;
    const namespace = clusterScoped.has(object.kind) ? null : (object.metadata.namespace ?? ctx.defaultNamespace ?? 'default');
    const { managedFields: _dropped, ...metadata } = object.metadata as Record<string, unknown>;
    items.push({ object, raw: { ...(o as Record<string, unknown>), metadata }, namespace, source });
  }
  const kinds = new Map<string, Item[]>();
  const named = new Map<string, Item>();
  const namespaced = new Map<string, Item[]>();
  for (const item of items) {
    const key = `${item.object.kind}\0${item.namespace ?? ''}`;
    const inNs = namespaced.get(key) ?? [];
    inNs.push(item);
    namespaced.set(key, inNs);
    const list = kinds.get(item.object.kind) ?? [];
    list.push(item);
    kinds.set(item.object.kind, list);
    named.set(`${item.object.kind}\0${item.namespace ?? ''}\0${item.object.metadata.name}`, item);
  }
  return {
    items,
    byKind: (kind) => kinds.get(kind) ?? [],
    find: (kind, namespace, name) => named.get(`${kind}\0${namespace ?? ''}\0${name}`),
    inNamespace: (kind, namespace) => namespaced.get(`${kind}\0${namespace}`) ?? [],
  };
}

/** `k8s://<cluster>/<namespace>/<Kind>/<name>`; cluster-scoped objects sit under `_cluster`. */
export function assetId(cluster: string, kind: string, namespace: string | null, name: string): string {
  return `k8s://${cluster}/${namespace ?? '_cluster'}/${kind}/${name}`;
}
