// The configuration changes the history tests make to the sample EKS clusters between two scans, in one
// place, since the drift each test expects follows from exactly these edits.
import { readFileSync, writeFileSync } from 'node:fs';

type EksExport = { cluster: { resourcesVpcConfig: Record<string, unknown>; logging?: unknown } };

function editCluster(file: string, edit: (cluster: EksExport['cluster']) => void): void {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as EksExport;
  edit(doc.cluster);
  writeFileSync(file, JSON.stringify(doc));
}

/** The API endpoint opened to the whole internet, and only the `api` audit log left on. */
export function openEndpointToInternetAndCutAuditLogs(file: string): void {
  editCluster(file, (cluster) => {
    cluster.resourcesVpcConfig.endpointPublicAccess = true;
    cluster.resourcesVpcConfig.publicAccessCidrs = ['0.0.0.0/0'];
    cluster.logging = { clusterLogging: [{ types: ['api'], enabled: true }] };
  });
}

/** The public API endpoint closed. */
export function closePublicEndpoint(file: string): void {
  editCluster(file, (cluster) => {
    cluster.resourcesVpcConfig.endpointPublicAccess = false;
  });
}
