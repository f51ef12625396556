// The Kubernetes provider: what runs inside clusters, read through the Kubernetes API (see ../provider.ts for
// what each part means). A scope is one cluster: a kubeconfig context (the CLI), or an EKS, AKS or GKE cluster
// a cloud scope found (the sweep, with `kubernetes.discovered`), reached with that cloud's identity.
import { z } from 'zod';
import type { Asset, ClusterAsset } from '../../core/asset.ts';
import { listed, type ProviderDeclaration, type Scope } from '../provider.ts';
import { KubernetesSettings } from './settings.ts';

/** Nothing to list per deployment: clusters are found by the cloud scopes (`kubernetes.discovered` in posture.yaml). */
export const KubernetesDeployment = z.object({}).strict().prefault({});
export type KubernetesDeployment = z.infer<typeof KubernetesDeployment>;

export interface KubernetesAccess {
  /** kubeconfig file (default: settings.kubeconfig, $KUBECONFIG, ~/.kube/config). */
  kubeconfig?: string;
}

const KubernetesSettingsSection = KubernetesSettings.prefault({});

/** `context/<name>`, `eks/<name>`, `aks/<resource group>/<name>`, `gke/<location>/<name>`. */
export type ClusterTarget =
  | { via: 'context'; context: string }
  | { via: 'eks'; name: string }
  | { via: 'aks'; resourceGroup: string; name: string }
  | { via: 'gke'; location: string; name: string };

export function parseClusterTarget(target: string | undefined): ClusterTarget {
  const [via, ...rest] = (target ?? '').split('/');
  if (via === 'context' && rest.length >= 1) return { via, context: rest.join('/') };
  if (via === 'eks' && rest.length === 1 && rest[0]) return { via, name: rest[0] };
  if (via === 'aks' && rest.length === 2 && rest[0] && rest[1]) return { via, resourceGroup: rest[0], name: rest[1] };
  if (via === 'gke' && rest.length === 2 && rest[0] && rest[1]) return { via, location: rest[0], name: rest[1] };
  throw new Error(`"${target ?? ''}" does not name a cluster (context/<name>, eks/<name>, aks/<group>/<name> or gke/<location>/<name>)`);
}

/** The cluster scope for a managed cluster a cloud scope collected, when its API endpoint is public (a Lambda outside the VPC reaches only those). */
function clusterScope(asset: ClusterAsset): Scope | undefined {
  const c = asset.cluster;
  // ECS clusters have no Kubernetes API.
  if (c.distribution === 'ecs' || !c.endpoint.public) return undefined;
  if (c.distribution === 'eks') return { provider: 'kubernetes', account: asset.account, region: asset.region, target: `eks/${c.name}` };
  if (c.distribution === 'gke') return { provider: 'kubernetes', account: asset.account, region: asset.region, target: `gke/${asset.region}/${c.name}` };
  if (c.distribution === 'aks') {
    // azure://<subscription>/<location>/aks/<resource group>/<name>
    const group = /^azure:\/\/[^/]+\/[^/]+\/aks\/([^/]+)\/[^/]+$/.exec(asset.id)?.[1];
    return group ? { provider: 'kubernetes', account: asset.account, region: asset.region, target: `aks/${group}/${c.name}` } : undefined;
  }
  return undefined;
}

export const kubernetesProvider: ProviderDeclaration<'kubernetes', KubernetesSettings, KubernetesDeployment, KubernetesAccess, typeof KubernetesSettingsSection, typeof KubernetesDeployment> = {
  id: 'kubernetes',
  title: 'Kubernetes',
  settings: KubernetesSettingsSection,
  deployment: KubernetesDeployment,
  scopes: {
    fromDeployment: () => [],
    discoveredIn: (assets: readonly Asset[], { settings }) =>
      settings.discovered ? assets.flatMap((a) => (a.kind === 'cluster' ? (clusterScope(a) ?? []) : [])) : [],
    concurrency: () => 2,
  },
  collector: async () => (await import('./collector.ts')).collector,
  events: [],
  // The cloud providers' statements cover it: eks:DescribeCluster and the scan roles (AWS), the Entra
  // federation (Azure). The EKS token is a presigned sts:GetCallerIdentity, which needs no permission.
  iam: () => [],
  cli: {
    options: [
      { flags: '--kubernetes', description: 'read the cluster of the current kubeconfig context through the Kubernetes API' },
      { flags: '--context <name...>', description: 'kubeconfig contexts to read instead of the current one' },
      { flags: '--kubeconfig <file>', description: 'kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)' },
    ],
    wanted: (flags) => Boolean(flags.kubernetes),
    settings: (flags, section) => {
      const contexts = listed(flags.context);
      const kubeconfig = typeof flags.kubeconfig === 'string' ? flags.kubeconfig : undefined;
      // `--aws --kubernetes`: the clusters the cloud scopes find are read too.
      const discovered = section.discovered || Boolean(flags.aws || flags.azure || flags.gcp);
      return { ...section, discovered, ...(contexts ? { contexts } : {}), ...(kubeconfig ? { kubeconfig } : {}) };
    },
  },
};
