// An AKS cluster's API through the Azure provider's access: the managed cluster's user kubeconfig
// (listClusterUserCredential) gives the API server and its CA, and the bearer token is a Microsoft Entra
// token for the AKS server application, from the same credential the Azure scopes use (federation from AWS
// in Lambda). AKS maps the Entra identity through Azure RBAC for Kubernetes or Kubernetes RBAC.
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { azureCredential } from '../../azure/credentials.ts';
import type { AzureAccess } from '../../azure/provider.ts';
import { AzureSettings } from '../../azure/settings.ts';
import type { ClusterConnection } from '../api/client.ts';

/** The Entra application every AKS cluster's API server accepts tokens for (the same in every tenant). */
export const aksServerApplication = '6dae42f8-4368-4678-94ff-3960e28e3630';
export const aksTokenScope = `${aksServerApplication}/.default`;

export interface AksTarget {
  subscription: string;
  resourceGroup: string;
  name: string;
}

const UserKubeconfig = z.object({
  clusters: z.array(z.object({ cluster: z.object({ server: z.string().url(), 'certificate-authority-data': z.string().optional() }).loose() }).loose()).min(1),
});

export async function aksConnection(target: AksTarget, azure: { settings: unknown; access: AzureAccess }): Promise<ClusterConnection> {
  const settings = AzureSettings.parse(azure.settings ?? {});
  const credential = azure.access.credential ?? azureCredential(settings);
  const endpoint = (settings.endpoint ?? 'https://management.azure.com').replace(/\/$/, '');
  const client = new ContainerServiceClient(credential, target.subscription, {
    endpoint,
    credentials: { scopes: [`${endpoint}/.default`] },
    retryOptions: { maxRetries: settings.maxRetries },
    ...(azure.access.tls ? { tlsOptions: { ca: azure.access.tls.ca } } : {}),
  });
  const managed = await client.managedClusters.get(target.resourceGroup, target.name);
  const credentials = await client.managedClusters.listClusterUserCredentials(target.resourceGroup, target.name);
  const value = credentials.kubeconfigs?.[0]?.value;
  if (!value) throw new Error(`AKS cluster ${target.name}: listClusterUserCredential returned no kubeconfig`);
  const parsed = UserKubeconfig.safeParse(parseYaml(Buffer.from(value).toString('utf8')));
  if (!parsed.success) throw new Error(`AKS cluster ${target.name}: the user kubeconfig names no API server: ${z.prettifyError(parsed.error)}`);
  const cluster = parsed.data.clusters[0]!.cluster;
  const caData = cluster['certificate-authority-data'];
  return {
    cluster: target.name,
    distribution: 'aks',
    server: cluster.server,
    ...(caData ? { ca: Buffer.from(caData, 'base64').toString('utf8') } : {}),
    account: target.subscription,
    region: managed.location ?? '',
    authorize: async () => {
      const token = await credential.getToken(aksTokenScope);
      if (!token) throw new Error(`no Entra token for the AKS server application (needed for cluster ${target.name})`);
      return { authorization: `Bearer ${token.token}` };
    },
  };
}
