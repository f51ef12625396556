// Reads one cluster through its API: namespaces and cluster-scoped RBAC, then every namespaced kind, listed
// cluster-wide when RBAC allows and namespace by namespace when it does not, so a namespace the identity may
// not read is a collection error for that namespace alone. Each object gets its kind and apiVersion (list
// items carry neither) and loses `metadata.managedFields` (server bookkeeping, often larger than the spec).
// Secrets are read as a Table per namespace without objects: name and type, never a value, and not even the
// `last-applied-configuration` annotation that `kubectl apply` leaves on them with the values inside.
import pLimit from 'p-limit';
import type { CollectionError } from '../../core/collection-errors.ts';
import { KubeApi, KubeApiError, KubeLimitError, type ClusterConnection } from './api/client.ts';
import { apiVersionOf, listPath, namespaceKind, objectKinds, secretKind, type KindSpec } from './api/kinds.ts';
import { describeKubeError } from './errors.ts';
import type { KubernetesSettings } from './settings.ts';

export interface ClusterObjects {
  /** Every object read, as the API returned it (plus kind and apiVersion), cluster-scoped ones first. */
  objects: Record<string, unknown>[];
  /** Objects read per kind. */
  counts: Record<string, number>;
  errors: CollectionError[];
  /** Kinds not asked for at all (Secrets unless `secrets: names`): their absence says nothing. */
  notCollected: string[];
  /** Response bytes read from the cluster. */
  bytes: number;
}

const tableMediaType = 'application/json;as=Table;v=v1;g=meta.k8s.io';
/** kube-apiserver writes TypeMeta first: a Table answer starts with its kind. */
const tableStart = /^\s*\{\s*"kind"\s*:\s*"Table"/;

function withKind(item: Record<string, unknown>, spec: KindSpec): Record<string, unknown> {
  const metadata = (item.metadata ?? {}) as Record<string, unknown>;
  const { managedFields: _managedFields, ...kept } = metadata;
  return { ...item, apiVersion: apiVersionOf(spec), kind: spec.kind, metadata: kept };
}

export async function collectClusterObjects(
  connection: ClusterConnection,
  settings: Pick<KubernetesSettings, 'limits' | 'secrets'>,
  scope: string,
  signal?: AbortSignal,
): Promise<ClusterObjects> {
  const api = new KubeApi(connection, settings.limits, signal);
  const objects: Record<string, unknown>[] = [];
  const counts: Record<string, number> = {};
  const errors: CollectionError[] = [];
  const fail = (where: string, err: unknown) => errors.push({ scope: `${scope}/${where}`, message: describeKubeError(err) });
  const keep = (items: Record<string, unknown>[], spec: KindSpec) => {
    for (const item of items) objects.push(withKind(item, spec));
    counts[spec.kind] = (counts[spec.kind] ?? 0) + items.length;
  };
  /** Every page into `objects`; a cap or an error mid-way keeps the pages already read. */
  const listInto = async (spec: KindSpec, namespace?: string): Promise<void> => {
    for await (const page of api.pages(listPath(spec, namespace))) keep(page.items, spec);
  };
  // Kinds and the requests inside them take turns from separate pools (one shared pool would deadlock once the
  // kinds hold every slot while waiting for their per-namespace requests).
  const kindsAtOnce = pLimit(4);
  const requestsAtOnce = pLimit(4);

  try {
    // Namespaces first: without them nothing can be listed namespace by namespace.
    let namespaces: string[] = [];
    try {
      await listInto(namespaceKind);
    } catch (err) {
      // Forbidden: kinds are still tried cluster-wide; a cap keeps the namespaces read. Anything else (unreachable, TLS, credentials refused)
      // means nothing in the cluster can be read: the scope fails as a whole.
      if (!((err instanceof KubeApiError && err.status === 403) || err instanceof KubeLimitError)) throw new Error(`cluster ${connection.cluster} (${connection.server}): ${describeKubeError(err)}`);
      fail(namespaceKind.resource, err);
    }
    namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => String((o.metadata as { name?: unknown }).name));
    if (namespaces.length > settings.limits.maxNamespaces) {
      fail(namespaceKind.resource, new KubeLimitError(`${namespaces.length} namespaces; only the first ${settings.limits.maxNamespaces} are read one by one where a kind cannot be listed cluster-wide`));
    }
    const perNamespace = namespaces.slice(0, settings.limits.maxNamespaces);

    await Promise.all(
      objectKinds.map((spec) =>
        kindsAtOnce(async () => {
          try {
            await listInto(spec);
            return;
          } catch (err) {
            // Forbidden cluster-wide: the identity may still read some namespaces, each on its own.
            if (!(spec.namespaced && err instanceof KubeApiError && err.status === 403 && perNamespace.length > 0)) {
              fail(spec.resource, err);
              return;
            }
          }
          await Promise.all(
            perNamespace.map((namespace) =>
              requestsAtOnce(async () => {
                try {
                  await listInto(spec, namespace);
                } catch (err) {
                  fail(`namespaces/${namespace}/${spec.resource}`, err);
                }
              }),
            ),
          );
        }),
      ),
    );

    const notCollected: string[] = [];
    if (settings.secrets === 'names') {
      await Promise.all(perNamespace.map((namespace) => requestsAtOnce(() => secretNames(api, namespace, keep).catch((err: unknown) => fail(`namespaces/${namespace}/secrets`, err)))));
    } else {
      notCollected.push(secretKind.kind);
    }
    return { objects, counts, errors: errors.sort((a, b) => a.scope.localeCompare(b.scope)), notCollected, bytes: api.bytes };
  } finally {
    await api.close();
  }
}

/** Secrets of one namespace as Table rows without objects: name and type columns only. */
async function secretNames(api: KubeApi, namespace: string, keep: (items: Record<string, unknown>[], spec: KindSpec) => void): Promise<void> {
  for await (const page of api.pages(listPath(secretKind, namespace), { accept: tableMediaType, expect: tableStart, query: { includeObject: 'None' } })) {
    if (page.kind !== 'Table') throw new Error(`secrets of ${namespace}: the server answered ${page.kind ?? 'something else'} where a Table was asked for; not read`);
    const columns = (page.columnDefinitions ?? []).map((c) => String(c.name).toLowerCase());
    const nameAt = columns.indexOf('name');
    const typeAt = columns.indexOf('type');
    if (nameAt < 0) throw new Error(`secrets of ${namespace}: the Table has no Name column`);
    const items = (page.rows ?? []).flatMap((row) => {
      const name = row.cells?.[nameAt];
      if (typeof name !== 'string' || name === '') return [];
      const type = typeAt >= 0 ? row.cells?.[typeAt] : undefined;
      return [{ metadata: { name, namespace }, ...(typeof type === 'string' ? { type } : {}) }];
    });
    keep(items, secretKind);
  }
}
