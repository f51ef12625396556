// AKS in one subscription: every managed cluster (paged by nextLink inside the SDK), each with its
// diagnostic settings (where the Kubernetes audit log goes), normalized from the SDK's flattened form.
import type { ContainerServiceClient } from '@azure/arm-containerservice';
import type { ClusterAsset } from '../../core/asset.ts';
import type { DiagnosticSettingsReader } from './diagnostic-settings.ts';
import { listBounded, type ErrorLog } from './errors.ts';
import { normalizeAksCluster } from './normalize-aks.ts';
import { sdkJson } from './sdk-json.ts';

export interface AksScope {
  subscription: string;
  client: ContainerServiceClient;
  diagnostics: DiagnosticSettingsReader;
  errors: ErrorLog;
  ctx: { collectedAt: string; source?: string };
}

export async function collectAks(s: AksScope): Promise<ClusterAsset[]> {
  const clusters = await listBounded(s.client.managedClusters.list(), 'managed clusters', `azure/${s.subscription}/aks`, s.errors, sdkJson);
  const assets: ClusterAsset[] = [];
  for (const resource of clusters) {
    const id = String((resource as { id?: unknown }).id ?? '(no id)');
    const scope = `azure/${s.subscription}/aks/${id.split('/').pop()}`;
    // Settings we could not read are a collection error on the asset (the audit log's destination is
    // unknown), never reported as "none exist".
    const diagnosticSettings = await s.errors.attempt(`${scope}/diagnostic-settings`, () => s.diagnostics.list(id));
    const input = diagnosticSettings.ok ? { resource, diagnosticSettings: diagnosticSettings.value } : { resource, failed: { diagnosticSettings: diagnosticSettings.error } };
    const asset = await s.errors.guard(scope, async () => normalizeAksCluster(input, s.ctx));
    if (asset) assets.push(asset);
  }
  return assets;
}
