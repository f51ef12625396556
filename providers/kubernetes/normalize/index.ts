// Kubernetes objects → assets, for the API collector and for local manifests alike. Pure: no I/O, no
// clock. Workloads (Pods and their controllers, folded), namespaces (Pod Security labels, network
// policies, service accounts, secrets by name, ConfigMap credentials redacted) and RBAC bindings (with
// their roles' rules resolved). Asset ids: k8s://<cluster>/<namespace>/<Kind>/<name>, cluster-scoped
// objects under `_cluster`.
import type { Asset } from '../../../core/asset.ts';
import type { KubernetesContext } from './context.ts';
import { attachExposure } from './exposure.ts';
import { buildInventory, type Item } from './inventory.ts';
import { normalizeNamespaces } from './namespaces.ts';
import { normalizeBindings } from './rbac.ts';
import { normalizeWorkloads } from './workloads.ts';

export type { KubernetesContext } from './context.ts';
export { kubernetesImageTargets, type KubernetesImageTarget } from './images.ts';

export function normalizeKubernetesObjects(objects: readonly unknown[], ctx: KubernetesContext): Asset[] {
  const inv = buildInventory(objects, ctx);
  const report = (item: Item, message: string) => {
    const what = `${item.object.kind} ${item.namespace ? `${item.namespace}/` : ''}${item.object.metadata.name}`;
    if (ctx.onInvalid) ctx.onInvalid({ source: item.source, object: what, message });
    else throw new Error(`${item.source}: ${what}: ${message}`);
  };
  const workloads = normalizeWorkloads(inv, ctx, report);
  attachExposure(workloads, inv, report);
  const perNamespace = new Map<string, number>();
  for (const w of workloads) {
    const ns = w.workload.kubernetes?.namespace ?? '';
    perNamespace.set(ns, (perNamespace.get(ns) ?? 0) + 1);
  }
  return [...workloads, ...normalizeNamespaces(inv, ctx, perNamespace, report), ...normalizeBindings(inv, ctx, report)];
}
