// The Kubernetes scope collector behind the provider declaration: one cluster per scope. The CLI's scopes are
// kubeconfig contexts; the sweep's are the EKS, AKS and GKE clusters the cloud scopes found, reached with the
// cloud's own identity (connect/*.ts). The objects read become assets through the normalizer (cluster-assets.ts).
import type { CollectionError } from '../../core/collection-errors.ts';
import type { AwsAccess, AwsDeployment } from '../aws/provider.ts';
import type { AzureAccess } from '../azure/provider.ts';
import type { GcpAccess } from '../gcp/provider.ts';
import { scopeKey, type CollectorContext, type CollectorModule, type Scope, type ScopeCollector, type ScopeResult } from '../provider.ts';
import type { ClusterConnection } from './api/client.ts';
import { clusterAssets } from './cluster-assets.ts';
import { collectClusterObjects, type ClusterObjects } from './collect-cluster.ts';
import { aksConnection } from './connect/aks.ts';
import { eksConnection } from './connect/eks.ts';
import { gkeConnection } from './connect/gke.ts';
import { contextsToRead, kubeconfigConnection, kubeconfigPath, loadKubeconfig } from './connect/kubeconfig.ts';
import { parseClusterTarget, type KubernetesAccess, type KubernetesDeployment } from './provider.ts';
import { KubernetesSettings } from './settings.ts';

/** How to reach the cluster a scope names. */
export async function connect(scope: Scope, ctx: CollectorContext<KubernetesSettings, KubernetesDeployment, KubernetesAccess>): Promise<ClusterConnection> {
  const target = parseClusterTarget(scope.target);
  switch (target.via) {
    case 'context': {
      const file = kubeconfigPath(ctx.access.kubeconfig ?? ctx.settings.kubeconfig);
      return kubeconfigConnection(loadKubeconfig(file), target.context);
    }
    case 'eks':
      return eksConnection(
        { account: scope.account, region: scope.region, name: target.name },
        { settings: ctx.allSettings.aws, access: (ctx.allAccess.aws ?? {}) as AwsAccess, deployment: ctx.allDeployments?.aws as AwsDeployment | undefined },
      );
    case 'aks':
      return aksConnection({ subscription: scope.account, resourceGroup: target.resourceGroup, name: target.name }, { settings: ctx.allSettings.azure, access: (ctx.allAccess.azure ?? {}) as AzureAccess });
    case 'gke':
      return gkeConnection({ project: scope.account, location: target.location, name: target.name }, { settings: ctx.allSettings.gcp, access: (ctx.allAccess.gcp ?? {}) as GcpAccess });
  }
}

/** Connects and reads one cluster: the objects, what could not be read, and what was not asked for. */
export async function readCluster(scope: Scope, ctx: CollectorContext<KubernetesSettings, KubernetesDeployment, KubernetesAccess>): Promise<{ connection: ClusterConnection; read: ClusterObjects }> {
  const settings = KubernetesSettings.parse(ctx.settings);
  const connection = await connect(scope, ctx);
  const read = await collectClusterObjects(connection, settings, scopeKey(scope), ctx.signal);
  return { connection, read };
}

function createCollector(ctx: CollectorContext<KubernetesSettings, KubernetesDeployment, KubernetesAccess>): ScopeCollector {
  const settings = KubernetesSettings.parse(ctx.settings);
  return {
    async discover(): Promise<{ scopes: Scope[]; errors: CollectionError[] }> {
      const file = kubeconfigPath(ctx.access.kubeconfig ?? settings.kubeconfig);
      const kc = loadKubeconfig(file);
      const contexts = contextsToRead(kc, file, settings.contexts);
      return { scopes: contexts.map((context): Scope => ({ provider: 'kubernetes', account: 'kubeconfig', region: '', target: `context/${context}` })), errors: [] };
    },
    async collect(scope: Scope): Promise<ScopeResult> {
      const { connection, read } = await readCluster(scope, ctx);
      return clusterAssets(read, connection, scopeKey(scope), ctx.now(), settings.imagesPerCluster);
    },
  };
}

export const collector: CollectorModule<KubernetesSettings, KubernetesDeployment, KubernetesAccess> = { createCollector };
