// Pods and their controllers as workload assets. A controller's pod template is judged once, in the
// controller: the ReplicaSets and Pods it owns (directly, or a Deployment's through its ReplicaSets, a
// CronJob's through its Jobs) fold into it, giving their count, whether they run, and the image digests
// they resolved. A Pod whose owner is not in the input (or is a kind we do not read) stands on its own.
import { z } from 'zod';
import type { WorkloadAsset } from '../../../core/asset.ts';
import type { KubernetesContext } from './context.ts';
import { assetId, type Inventory, type Item } from './inventory.ts';
import { isWorkloadKind, PodStatus, PodTemplate, ServiceAccountObject, workloadKinds } from './objects.ts';
import { digestOf, normalizePodSpec } from './pod-spec.ts';

/** Pod summaries kept in `raw.pods`; the count is always exact. */
const maxPodsInRaw = 20;
const maxOwnerDepth = 4;

type Template = z.infer<typeof PodTemplate>;

/** The value at a path of plain objects, or undefined. */
function dig(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function templateOf(item: Item): unknown {
  if (item.object.kind === 'Pod') return { metadata: item.raw.metadata, spec: item.raw.spec };
  if (item.object.kind === 'CronJob') return dig(item.raw, 'spec', 'jobTemplate', 'spec', 'template');
  return dig(item.raw, 'spec', 'template');
}

function ownerOf(item: Item, byUid: ReadonlyMap<string, Item>, inv: Inventory): Item | undefined {
  const refs = item.object.metadata.ownerReferences ?? [];
  const ref = refs.find((r) => r.controller === true) ?? (refs.length === 1 ? refs[0] : undefined);
  if (!ref || !isWorkloadKind(ref.kind)) return undefined;
  return (ref.uid ? byUid.get(ref.uid) : undefined) ?? inv.find(ref.kind, item.namespace, ref.name);
}

interface ServiceAccountView {
  name: string;
  automountToken?: boolean;
  automountSource?: 'pod' | 'service-account' | 'default';
}

function serviceAccount(template: Template, namespace: string, inv: Inventory, ctx: KubernetesContext): ServiceAccountView {
  const spec = template.spec;
  const name = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
  if (spec.automountServiceAccountToken !== undefined) return { name, automountToken: spec.automountServiceAccountToken, automountSource: 'pod' };
  const item = inv.find('ServiceAccount', namespace, name);
  const sa = item ? ServiceAccountObject.safeParse(item.raw) : undefined;
  if (sa?.success && sa.data.automountServiceAccountToken !== undefined) {
    return { name, automountToken: sa.data.automountServiceAccountToken, automountSource: 'service-account' };
  }
  // The ServiceAccount leaves it unset (the API default, true), or, in a full read, does not exist at all.
  if (item || ctx.complete) return { name, automountToken: true, automountSource: 'default' };
  return { name };
}

export function normalizeWorkloads(inv: Inventory, ctx: KubernetesContext, report: (item: Item, message: string) => void): WorkloadAsset[] {
  const candidates = workloadKinds.flatMap((k) => inv.byKind(k));
  const byUid = new Map(candidates.filter((i) => i.object.metadata.uid).map((i) => [i.object.metadata.uid as string, i]));
  const topOf = (item: Item): Item => {
    let current = item;
    for (let depth = 0; depth < maxOwnerDepth; depth++) {
      const owner = ownerOf(current, byUid, inv);
      if (!owner || owner === item) break;
      current = owner;
    }
    return current;
  };
  const groups = new Map<Item, Item[]>();
  for (const item of candidates) {
    const top = topOf(item);
    const members = groups.get(top) ?? [];
    if (top !== item) members.push(item);
    groups.set(top, members);
  }

  const assets: WorkloadAsset[] = [];
  for (const [top, members] of groups) {
    const template = PodTemplate.safeParse(templateOf(top));
    if (!template.success) {
      report(top, `has no readable pod template: ${z.prettifyError(template.error)}`);
      continue;
    }
    const namespace = top.namespace ?? 'default';
    const pods = [top, ...members].filter((m) => m.object.kind === 'Pod');
    const statuses = pods.map((p) => ({ pod: p, status: PodStatus.safeParse(p.raw.status) }));
    const running = statuses.filter((s) => s.status.success && s.status.data.phase === 'Running');
    const digests = new Map<string, string>();
    for (const s of [...running, ...statuses]) {
      if (!s.status.success) continue;
      for (const cs of [...(s.status.data.containerStatuses ?? []), ...(s.status.data.initContainerStatuses ?? [])]) {
        const digest = digestOf(cs.imageID);
        if (digest && !digests.has(cs.name)) digests.set(cs.name, digest);
      }
    }
    const annotations = template.data.metadata?.annotations ?? {};
    const podLabels = template.data.metadata?.labels ?? {};
    const { name } = top.object.metadata;
    assets.push({
      id: assetId(ctx.cluster, top.object.kind, namespace, name),
      kind: 'workload',
      provider: 'kubernetes',
      account: ctx.cluster,
      region: ctx.region ?? '',
      jurisdiction: ctx.jurisdiction ?? 'UNKNOWN',
      tags: top.object.metadata.labels ?? {},
      collectedAt: ctx.collectedAt,
      source: top.source,
      rawForm: 'k8s-api',
      raw: {
        object: top.raw,
        ...(pods.length > 0 && top.object.kind !== 'Pod'
          ? {
              pods: pods.slice(0, maxPodsInRaw).map((p) => ({
                name: p.object.metadata.name,
                status: p.raw.status ?? null,
              })),
            }
          : {}),
      },
      workload: {
        platform: 'kubernetes',
        name,
        revision: null,
        ...normalizePodSpec(template.data.spec, namespace, annotations, digests),
        kubernetes: {
          kind: top.object.kind,
          namespace,
          cluster: ctx.cluster,
          distribution: ctx.distribution ?? 'kubernetes',
          labels: podLabels,
          serviceAccount: serviceAccount(template.data, namespace, inv, ctx),
          pods: pods.length,
          runningPods: running.length,
          exposure: [],
        },
      },
    });
  }
  return assets;
}
