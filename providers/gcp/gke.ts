// GKE in one project: every cluster in every location (`locations/-`) in one call, re-encoded as REST
// JSON and normalized. Zones GKE could not reach are reported, not silently dropped.
import type { ClusterManagerClient } from '@google-cloud/container';
import type { ClusterAsset } from '../../core/asset.ts';
import type { ErrorLog } from './errors.ts';
import { normalizeGkeCluster } from './normalize-gke.ts';
import { enumEncodingOf, toRestJson } from './proto-json.ts';
import { gkeClusterType } from './protos.ts';

export interface GkeScope {
  project: string;
  client: ClusterManagerClient;
  transport: 'grpc' | 'rest';
  errors: ErrorLog;
  ctx: { collectedAt: string; source?: string };
}

export async function collectGke(s: GkeScope): Promise<ClusterAsset[]> {
  const [response] = await s.client.listClusters({ parent: `projects/${s.project}/locations/-` });
  const missing = (response.missingZones ?? []).filter((z): z is string => typeof z === 'string' && z !== '');
  if (missing.length) s.errors.add(`gcp/${s.project}/gke`, `GKE did not answer for ${missing.join(', ')}; clusters there are missing from this scan`);
  const type = gkeClusterType();
  const assets: ClusterAsset[] = [];
  for (const cluster of response.clusters ?? []) {
    const name = typeof cluster.name === 'string' ? cluster.name : '(unnamed)';
    try {
      const json = toRestJson(type, cluster);
      assets.push(normalizeGkeCluster({ cluster: json, project: s.project, decoded: { transport: s.transport, enumsReceivedAs: enumEncodingOf(type, cluster) } }, s.ctx));
    } catch (err) {
      s.errors.add(`gcp/${s.project}/gke/${cluster.location ?? '-'}/${name}`, err);
    }
  }
  return assets;
}
