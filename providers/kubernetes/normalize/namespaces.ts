// Namespaces as assets of their own: the Pod Security Admission labels they carry, the NetworkPolicies,
// ServiceAccounts, Secrets (names and types only) and ConfigMap credentials that live in them.
import { z } from 'zod';
import type { NamespaceAsset } from '../../../core/asset.ts';
import { findConfigMapSecrets, maxMatchesPerNamespace } from './configmap-secrets.ts';
import type { KubernetesContext } from './context.ts';
import { assetId, type Inventory, type Item } from './inventory.ts';
import { ConfigMapObject, NetworkPolicyObject, SecretObject, ServiceAccountObject } from './objects.ts';
import { selectsEverything } from './selectors.ts';

type PodSecurity = NamespaceAsset['namespace']['podSecurity'];
const modes = ['enforce', 'audit', 'warn'] as const;

function podSecurity(labels: Readonly<Record<string, string>>): PodSecurity {
  const mode = (m: (typeof modes)[number]) => {
    const level = labels[`pod-security.kubernetes.io/${m}`];
    return level === undefined ? null : { level, version: labels[`pod-security.kubernetes.io/${m}-version`] ?? null };
  };
  return { enforce: mode('enforce'), audit: mode('audit'), warn: mode('warn') };
}

export function normalizeNamespaces(
  inv: Inventory,
  ctx: KubernetesContext,
  workloadsPerNamespace: ReadonlyMap<string, number>,
  report: (item: Item, message: string) => void,
): NamespaceAsset[] {
  const inNamespace = inv.inNamespace;
  const parsed = <S extends z.ZodType>(items: Item[], schema: S): z.infer<S>[] =>
    items.flatMap((i) => {
      const r = schema.safeParse(i.raw);
      if (r.success) return [r.data];
      report(i, `cannot be read: ${z.prettifyError(r.error)}`);
      return [];
    });

  return inv.byKind('Namespace').map((item) => {
    const name = item.object.metadata.name;
    const labels = item.object.metadata.labels ?? {};
    const policies = parsed(inNamespace('NetworkPolicy', name), NetworkPolicyObject);
    const accounts = parsed(inNamespace('ServiceAccount', name), ServiceAccountObject);
    const secrets = parsed(inNamespace('Secret', name), SecretObject);
    const configMaps = parsed(inNamespace('ConfigMap', name), ConfigMapObject);
    let configMapSecrets = configMaps.flatMap((cm) => findConfigMapSecrets(cm.metadata.name, cm.data ?? {}));
    if (configMapSecrets.length > maxMatchesPerNamespace) {
      const more = configMapSecrets.length - maxMatchesPerNamespace + 1;
      configMapSecrets = [...configMapSecrets.slice(0, maxMatchesPerNamespace - 1), { configMap: '(more)', key: '(more)', rule: 'match-limit', hint: `${more} more matches not listed` }];
    }
    return {
      id: assetId(ctx.cluster, 'Namespace', null, name),
      kind: 'namespace',
      provider: 'kubernetes',
      account: ctx.cluster,
      region: ctx.region ?? '',
      jurisdiction: ctx.jurisdiction ?? 'UNKNOWN',
      tags: labels,
      collectedAt: ctx.collectedAt,
      source: item.source,
      rawForm: 'k8s-api',
      raw: {
        namespace: item.raw,
        networkPolicies: inNamespace('NetworkPolicy', name).map((i) => i.raw),
        ...(accounts.length > 0 || ctx.complete ? { serviceAccounts: inNamespace('ServiceAccount', name).map((i) => i.raw) } : {}),
        limitRanges: inNamespace('LimitRange', name).map((i) => i.raw),
        resourceQuotas: inNamespace('ResourceQuota', name).map((i) => i.raw),
      },
      namespace: {
        name,
        cluster: ctx.cluster,
        distribution: ctx.distribution ?? 'kubernetes',
        labels,
        podSecurity: podSecurity(labels),
        networkPolicies: policies.map((p) => {
          const spec = p.spec ?? {};
          // policyTypes defaults to Ingress, plus Egress when the policy has egress rules (API defaulting).
          const types = spec.policyTypes ?? ['Ingress', ...(spec.egress && spec.egress.length > 0 ? ['Egress'] : [])];
          return {
            name: p.metadata.name,
            policyTypes: types,
            selectsAllPods: selectsEverything(spec.podSelector),
            ingressRules: spec.ingress?.length ?? 0,
            egressRules: spec.egress?.length ?? 0,
          };
        }),
        ...(accounts.length > 0 || ctx.complete
          ? { serviceAccounts: accounts.map((a) => ({ name: a.metadata.name, automountToken: a.automountServiceAccountToken ?? null })) }
          : {}),
        secrets: secrets.map((s) => ({ name: s.metadata.name, type: s.type ?? 'Opaque' })),
        configMapSecrets,
        limitRanges: inNamespace('LimitRange', name).length,
        resourceQuotas: inNamespace('ResourceQuota', name).length,
        workloads: workloadsPerNamespace.get(name) ?? 0,
      },
    };
  });
}
