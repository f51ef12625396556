// A GKE cluster's API through the Google Cloud provider's access: clusters.get gives the public endpoint and
// the cluster CA, and the bearer token is the caller's Google access token (Application Default Credentials,
// external_account federation from AWS in Lambda). GKE maps the Google identity through IAM and RBAC.
import { ClusterManagerClient } from '@google-cloud/container';
import type { AuthClient } from 'google-auth-library';
import { defaultGoogleAuthClient } from '../../gcp/auth.ts';
import { endpointOptions } from '../../gcp/collect.ts';
import type { GcpAccess } from '../../gcp/provider.ts';
import { GcpSettings } from '../../gcp/settings.ts';
import type { ClusterConnection } from '../api/client.ts';

export interface GkeTarget {
  project: string;
  location: string;
  name: string;
}

export async function gkeConnection(target: GkeTarget, gcp: { settings: unknown; access: GcpAccess }): Promise<ClusterConnection> {
  const settings = GcpSettings.parse(gcp.settings ?? {});
  const authClient: AuthClient = gcp.access.authClient ?? (await defaultGoogleAuthClient());
  const client = new ClusterManagerClient({ authClient, ...endpointOptions(settings.endpoints.container), ...gcp.access.clientOptions?.container });
  try {
    const [cluster] = await client.getCluster({ name: `projects/${target.project}/locations/${target.location}/clusters/${target.name}` });
    if (!cluster.endpoint) throw new Error(`GKE cluster ${target.name} has no public endpoint`);
    const caData = cluster.masterAuth?.clusterCaCertificate;
    return {
      cluster: target.name,
      distribution: 'gke',
      server: `https://${cluster.endpoint}`,
      ...(caData ? { ca: Buffer.from(caData, 'base64').toString('utf8') } : {}),
      account: target.project,
      region: target.location,
      authorize: async () => {
        const { token } = await authClient.getAccessToken();
        if (!token) throw new Error(`no Google access token for GKE cluster ${target.name} (Application Default Credentials returned none)`);
        return { authorization: `Bearer ${token}` };
      },
    };
  } finally {
    await client.close();
  }
}
