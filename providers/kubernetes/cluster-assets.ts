// A cluster's objects, as read through its API, into assets (providers/kubernetes/normalize, the same pure
// normalizer local manifests go through) and into the images its pods run, running ones first.
import type { Asset } from '../../core/asset.ts';
import type { CollectionError } from '../../core/collection-errors.ts';
import { jurisdictionOf } from '../../core/jurisdiction.ts';
import { parseReference } from '../oci/reference.ts';
import type { ImageTarget } from '../provider.ts';
import { registryProviderOf } from '../registry-access.ts';
import type { ClusterConnection } from './api/client.ts';
import type { ClusterObjects } from './collect-cluster.ts';
import { kubernetesImageTargets, normalizeKubernetesObjects } from './normalize/index.ts';

const cloudOf = { eks: 'aws', aks: 'azure', gke: 'gcp' } as const;

/**
 * The cluster's name in asset ids (`k8s://<cluster>/…`). A managed cluster's name is unique only inside its
 * account and region, so those are part of it: `eks:123456789012:eu-west-1:prod`. A kubeconfig cluster keeps
 * the kubeconfig's name.
 */
export function clusterIdentity(connection: ClusterConnection): string {
  if (connection.distribution === 'kubernetes') return connection.cluster;
  return [connection.distribution, connection.account ?? '', connection.region ?? '', connection.cluster].join(':');
}

/** `nginx:1.27` → docker.io/library/nginx:1.27, as the container runtime resolves a reference without a registry. */
export function fullReference(reference: string): string {
  const first = reference.split('/')[0] ?? '';
  const hasRegistry = reference.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasRegistry ? reference : `docker.io/${reference}`;
}

export interface ClusterAssets {
  assets: Asset[];
  errors: CollectionError[];
  images: ImageTarget[];
}

export function clusterAssets(read: ClusterObjects, connection: ClusterConnection, scope: string, collectedAt: Date, maxImages: number): ClusterAssets {
  const errors = [...read.errors];
  const cloud = connection.distribution === 'kubernetes' ? undefined : cloudOf[connection.distribution];
  const region = connection.region ?? '';
  const cluster = clusterIdentity(connection);
  const assets = normalizeKubernetesObjects(read.objects, {
    cluster,
    collectedAt: collectedAt.toISOString(),
    source: scope,
    distribution: connection.distribution,
    ...(region ? { region } : {}),
    ...(cloud && region ? { jurisdiction: jurisdictionOf(cloud, region) } : {}),
    // Only a read with no error at all shows that an absent ServiceAccount, NetworkPolicy or binding does not exist.
    complete: errors.length === 0,
    onInvalid: (problem) => errors.push({ scope: `${scope}/objects`, message: `${problem.object}: ${problem.message}`.slice(0, 600) }),
  });
  const images: ImageTarget[] = [];
  for (const target of kubernetesImageTargets(assets).slice(0, maxImages)) {
    try {
      const ref = parseReference(fullReference(target.reference));
      const digest = target.digest ?? ref.digest;
      images.push({
        // The registry's provider supplies the pull credentials; other registries are pulled as the cluster's images.
        provider: registryProviderOf(ref.registry)?.id ?? 'kubernetes',
        account: connection.account ?? '',
        region,
        image: { registry: ref.registry, repository: ref.repository, digest, tag: digest ? null : ref.tag },
        scope: `${scope}/images/${target.reference.slice(0, 300)}`,
      });
    } catch (err) {
      errors.push({ scope: `${scope}/images`, message: (err as Error).message.slice(0, 600) });
    }
  }
  return { assets, errors, images };
}
