// The images Kubernetes workloads run, for the image scans: each reference once, with the digest a running
// pod resolved it to when known, the workloads that use it, and running images first.
import type { Asset, WorkloadAsset } from '../../../core/asset.ts';

export interface KubernetesImageTarget {
  /** The image as the pod spec names it (`nginx:1.27`, `registry/app@sha256:…`). */
  reference: string;
  /** `sha256:…` a running container resolved the reference to, when a Pod status said so. */
  digest: string | null;
  /** True when at least one container of a running pod uses it. */
  running: boolean;
  /** Asset ids of the workloads that use it. */
  workloads: string[];
}

const isKubernetesWorkload = (a: Asset): a is WorkloadAsset => a.kind === 'workload' && a.workload.platform === 'kubernetes';

export function kubernetesImageTargets(assets: readonly Asset[]): KubernetesImageTarget[] {
  const targets = new Map<string, KubernetesImageTarget>();
  for (const asset of assets.filter(isKubernetesWorkload)) {
    const running = (asset.workload.kubernetes?.runningPods ?? 0) > 0;
    for (const c of asset.workload.containers) {
      if (!c.image) continue;
      const key = `${c.image}\0${c.imageDigest ?? ''}`;
      const target = targets.get(key) ?? { reference: c.image, digest: c.imageDigest, running: false, workloads: [] };
      target.running ||= running;
      if (!target.workloads.includes(asset.id)) target.workloads.push(asset.id);
      targets.set(key, target);
    }
  }
  return [...targets.values()].sort((a, b) => Number(b.running) - Number(a.running) || a.reference.localeCompare(b.reference));
}
