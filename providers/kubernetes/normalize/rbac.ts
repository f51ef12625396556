// RoleBindings and ClusterRoleBindings as assets of their own, each with the rules of the role it binds
// resolved: a RoleBinding may bind a Role of its namespace or a ClusterRole (then scoped to the namespace);
// an aggregated ClusterRole's rules are those of the ClusterRoles its selectors pick (what the API server's
// aggregation controller writes into it). A role that is not in the input leaves `rules` absent.
import { z } from 'zod';
import type { PolicyRule, RbacBindingAsset } from '../../../core/asset.ts';
import type { KubernetesContext } from './context.ts';
import { assetId, type Inventory, type Item } from './inventory.ts';
import { BindingObject, RoleObject } from './objects.ts';
import { matchesLabelSelector } from './selectors.ts';

type Role = z.infer<typeof RoleObject>;

const rule = (r: NonNullable<Role['rules']>[number]): PolicyRule => ({
  apiGroups: r.apiGroups ?? [],
  resources: r.resources ?? [],
  verbs: r.verbs,
  resourceNames: r.resourceNames ?? [],
  nonResourceURLs: r.nonResourceURLs ?? [],
});

export function normalizeBindings(inv: Inventory, ctx: KubernetesContext, report: (item: Item, message: string) => void): RbacBindingAsset[] {
  const read = (item: Item): Role | undefined => {
    const r = RoleObject.safeParse(item.raw);
    if (!r.success) report(item, `cannot be read: ${z.prettifyError(r.error)}`);
    return r.success ? r.data : undefined;
  };
  const clusterRoles = inv.byKind('ClusterRole').flatMap((i) => read(i) ?? []);
  const rulesOf = (role: Role): PolicyRule[] => {
    const own = (role.rules ?? []).map(rule);
    const selectors = role.aggregationRule?.clusterRoleSelectors ?? [];
    if (own.length > 0 || selectors.length === 0) return own;
    // Aggregation is one level deep in practice; aggregated roles are not themselves expanded again.
    return clusterRoles
      .filter((c) => c !== role && selectors.some((s) => matchesLabelSelector(s, c.metadata.labels ?? {})))
      .flatMap((c) => (c.rules ?? []).map(rule));
  };

  const assets: RbacBindingAsset[] = [];
  for (const kind of ['ClusterRoleBinding', 'RoleBinding'] as const) {
    for (const item of inv.byKind(kind)) {
      const parsed = BindingObject.safeParse(item.raw);
      if (!parsed.success) {
        report(item, `cannot be read: ${z.prettifyError(parsed.error)}`);
        continue;
      }
      const binding = parsed.data;
      const namespace = kind === 'RoleBinding' ? item.namespace : null;
      const roleItem = binding.roleRef.kind === 'Role' ? inv.find('Role', namespace, binding.roleRef.name) : inv.find('ClusterRole', null, binding.roleRef.name);
      const role = roleItem ? read(roleItem) : undefined;
      assets.push({
        id: assetId(ctx.cluster, kind, namespace, binding.metadata.name),
        kind: 'rbac-binding',
        provider: 'kubernetes',
        account: ctx.cluster,
        region: ctx.region ?? '',
        jurisdiction: ctx.jurisdiction ?? 'UNKNOWN',
        tags: binding.metadata.labels ?? {},
        collectedAt: ctx.collectedAt,
        source: item.source,
        rawForm: 'k8s-api',
        raw: { binding: item.raw, role: roleItem ? roleItem.raw : null },
        rbacBinding: {
          name: binding.metadata.name,
          cluster: ctx.cluster,
          distribution: ctx.distribution ?? 'kubernetes',
          scope: kind === 'RoleBinding' ? 'namespace' : 'cluster',
          namespace,
          role: { kind: binding.roleRef.kind, name: binding.roleRef.name, ...(role ? { rules: rulesOf(role) } : {}) },
          // A ServiceAccount subject without a namespace is read in the binding's namespace.
          subjects: (binding.subjects ?? []).map((s) => ({
            kind: s.kind,
            name: s.name,
            namespace: s.namespace ?? (s.kind === 'ServiceAccount' ? namespace : null),
          })),
        },
      });
    }
  }
  return assets;
}
