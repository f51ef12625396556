// Which workloads are reachable from outside the cluster: a LoadBalancer or NodePort Service that selects
// their pods, or an Ingress that routes to a Service that does.
import { z } from 'zod';
import type { WorkloadAsset } from '../../../core/asset.ts';
import type { Inventory, Item } from './inventory.ts';
import { IngressObject, ServiceObject } from './objects.ts';
import { serviceSelects } from './selectors.ts';

const externalTypes = new Set(['LoadBalancer', 'NodePort']);

export function attachExposure(workloads: WorkloadAsset[], inv: Inventory, report: (item: Item, message: string) => void): void {
  const services = inv.byKind('Service').flatMap((item) => {
    const s = ServiceObject.safeParse(item.raw);
    if (!s.success) report(item, `cannot be read: ${z.prettifyError(s.error)}`);
    return s.success ? [{ namespace: item.namespace, service: s.data }] : [];
  });
  const selected = (namespace: string | null, serviceName: string) =>
    services.find((s) => s.namespace === namespace && s.service.metadata.name === serviceName);

  for (const w of workloads) {
    const k = w.workload.kubernetes;
    if (!k) continue;
    const exposure: (typeof k.exposure)[number][] = [];
    for (const { namespace, service } of services) {
      const type = service.spec?.type ?? 'ClusterIP';
      if (namespace !== k.namespace || !externalTypes.has(type) || !serviceSelects(service.spec?.selector, k.labels)) continue;
      const ports = (service.spec?.ports ?? []).map((p) => (type === 'NodePort' ? (p.nodePort ?? p.port) : p.port)).filter((p): p is number => p !== undefined);
      exposure.push({ kind: 'Service', name: service.metadata.name, type, ports, hosts: [] });
    }
    for (const item of inv.byKind('Ingress')) {
      if (item.namespace !== k.namespace) continue;
      const ingress = IngressObject.safeParse(item.raw);
      if (!ingress.success) continue; // reported once below
      const spec = ingress.data.spec ?? {};
      const backends = [spec.defaultBackend, ...(spec.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
      const routes = backends.some((b) => {
        const target = b?.service?.name ? selected(item.namespace, b.service.name) : undefined;
        return target !== undefined && serviceSelects(target.service.spec?.selector, k.labels);
      });
      if (!routes) continue;
      exposure.push({
        kind: 'Ingress',
        name: ingress.data.metadata.name,
        type: 'Ingress',
        ports: (spec.tls ?? []).length > 0 ? [80, 443] : [80],
        hosts: [...new Set((spec.rules ?? []).flatMap((r) => (r.host ? [r.host] : [])))].sort(),
      });
    }
    k.exposure = exposure;
  }
  for (const item of inv.byKind('Ingress')) {
    const ingress = IngressObject.safeParse(item.raw);
    if (!ingress.success) report(item, `cannot be read: ${z.prettifyError(ingress.error)}`);
  }
}
