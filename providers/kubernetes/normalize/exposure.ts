// Which workloads are reachable from outside the cluster: a LoadBalancer or NodePort Service that selects
// their pods, or an Ingress that routes to a Service that does.
import { z } from 'zod';
import type { WorkloadAsset } from '../../../core/asset.ts';
import type { Inventory, Item } from './inventory.ts';
import { IngressObject, ServiceObject } from './objects.ts';
import { serviceSelects } from './selectors.ts';

const externalTypes = new Set(['LoadBalancer', 'NodePort']);

export function attachExposure(workloads: WorkloadAsset[], inv: Inventory, report: (item: Item, message: string) => void): void {
  const services = new Map<string, z.infer<typeof ServiceObject>[]>();
  for (const item of inv.byKind('Service')) {
    const s = ServiceObject.safeParse(item.raw);
    if (!s.success) {
      report(item, `cannot be read: ${z.prettifyError(s.error)}`);
      continue;
    }
    const ns = item.namespace ?? '';
    services.set(ns, [...(services.get(ns) ?? []), s.data]);
  }
  const ingresses = new Map<string, z.infer<typeof IngressObject>[]>();
  for (const item of inv.byKind('Ingress')) {
    const i = IngressObject.safeParse(item.raw);
    if (!i.success) {
      report(item, `cannot be read: ${z.prettifyError(i.error)}`);
      continue;
    }
    const ns = item.namespace ?? '';
    ingresses.set(ns, [...(ingresses.get(ns) ?? []), i.data]);
  }

  for (const w of workloads) {
    const k = w.workload.kubernetes;
    if (!k) continue;
    const inNamespace = services.get(k.namespace) ?? [];
    const exposure: (typeof k.exposure)[number][] = [];
    for (const service of inNamespace) {
      const type = service.spec?.type ?? 'ClusterIP';
      if (!externalTypes.has(type) || !serviceSelects(service.spec?.selector, k.labels)) continue;
      const ports = (service.spec?.ports ?? []).map((p) => (type === 'NodePort' ? (p.nodePort ?? p.port) : p.port)).filter((p): p is number => p !== undefined);
      exposure.push({ kind: 'Service', name: service.metadata.name, type, ports, hosts: [] });
    }
    for (const ingress of ingresses.get(k.namespace) ?? []) {
      const spec = ingress.spec ?? {};
      const backends = [spec.defaultBackend, ...(spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
      const routes = backends.some((b) => {
        const target = b?.service?.name ? inNamespace.find((s) => s.metadata.name === b.service?.name) : undefined;
        return target !== undefined && serviceSelects(target.spec?.selector, k.labels);
      });
      if (!routes) continue;
      exposure.push({
        kind: 'Ingress',
        name: ingress.metadata.name,
        type: 'Ingress',
        ports: (spec.tls ?? []).length > 0 ? [80, 443] : [80],
        hosts: [...new Set((spec.rules ?? []).flatMap((r) => (r.host ? [r.host] : [])))].sort(),
      });
    }
    k.exposure = exposure;
  }
}
