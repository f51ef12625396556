// The Google Cloud side of the Prowler parity test: a GKE cluster pair in the ClusterManager gRPC stand-in
// and an Artifact Registry repository pair in its REST stand-in (bodies in REST JSON, written from the API
// references), read by the real collector (collectGcp) through the unmodified Google clients with
// workload identity federation credentials.
import * as grpc from '@grpc/grpc-js';
import type { Asset } from '../../../core/asset.ts';
import { collectGcp } from '../../../providers/gcp/index.ts';
import { startArtifactRegistryStandIn } from '../../standins/artifact-registry.ts';
import { startGkeStandIn } from '../../standins/gke-grpc.ts';
import { hardenedCluster } from '../../gcp/support/clusters.ts';
import { federatedAuthClient } from '../../gcp/support/federated-auth.ts';
import { startGoogleSts } from '../../gcp/support/google-sts.ts';
import type { Plant } from './plant.ts';

const project = 'proj-plants';
const location = 'europe-west1';
const audience = '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/aws-pool/providers/posture-lambda';
const googleToken = 'ya29.posture-parity-federated-token';

/** The hardened cluster of the GCP tests, its node pools running as `serviceAccount`. */
const cluster = (name: string, serviceAccount: string) => ({
  ...hardenedCluster,
  name,
  selfLink: `https://container.googleapis.com/v1/projects/${project}/locations/${location}/clusters/${name}`,
  nodePools: hardenedCluster.nodePools.map((p) => ({ ...p, config: { ...p.config, serviceAccount } })),
});

/** A Docker repository whose scanning state is `state` (the Container Scanning API off shows as disabled). */
const repository = (id: string, state: 'SCANNING_ACTIVE' | 'SCANNING_DISABLED') => ({
  name: `projects/${project}/locations/${location}/repositories/${id}`,
  format: 'DOCKER',
  mode: 'STANDARD_REPOSITORY',
  createTime: '2025-03-01T10:00:00.000Z',
  updateTime: '2026-10-01T10:00:00.000Z',
  registryUri: `${location}-docker.pkg.dev/${project}/${id}`,
  dockerConfig: { immutableTags: true },
  vulnerabilityScanningConfig: {
    enablementConfig: 'INHERITED',
    enablementState: state,
    ...(state === 'SCANNING_DISABLED' ? { enablementStateReason: 'API containerscanning.googleapis.com is not enabled.' } : { lastEnableTime: '2025-03-01T10:00:00Z' }),
  },
});

export interface GcpPlants {
  plants: Record<string, Plant>;
  assets: Asset[];
  errors: { scope: string; message: string }[];
  stop(): Promise<void>;
}

export async function startGcpPlants(now: Date): Promise<GcpPlants> {
  const sts = await startGoogleSts({ audience, accessToken: googleToken });
  const gke = await startGkeStandIn({ clusters: { [project]: [cluster('default-sa-bad', 'default'), cluster('default-sa-good', `gke-nodes@${project}.iam.gserviceaccount.com`)] } });
  const ar = await startArtifactRegistryStandIn({
    accessToken: googleToken,
    pageSize: 50,
    projects: { [project]: { locations: [location], repositories: [repository('scanning-bad', 'SCANNING_DISABLED'), repository('scanning-good', 'SCANNING_ACTIVE')] } },
  });
  const stop = async () => {
    await Promise.allSettled([sts.stop(), gke.stop(), ar.stop()]);
  };
  try {
    const collected = await collectGcp({
      settings: { projects: [project], imagesPerRepository: 0 },
      authClient: federatedAuthClient(sts.tokenUrl, audience),
      clientOptions: {
        container: { apiEndpoint: '127.0.0.1', port: gke.port, sslCreds: grpc.credentials.createInsecure() },
        artifactRegistry: { apiEndpoint: ar.host, port: ar.port, fallback: true, protocol: 'http' },
      },
      now,
    });
    const pair = (kind: string, name: string): Plant => ({ bad: `gcp://${project}/${location}/${kind}/${name}-bad`, good: `gcp://${project}/${location}/${kind}/${name}-good` });
    return {
      plants: { gke_cluster_no_default_service_account: pair('gke', 'default-sa'), gcr_container_scanning_enabled: pair('artifact-registry', 'scanning') },
      assets: collected.assets,
      errors: collected.errors,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
