// ACR in one subscription: every registry (paged by nextLink inside the SDK) with its geo-replications.
import type { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import type { RegistryAsset } from '../../core/asset.ts';
import { parseArmId } from './arm-fields.ts';
import { listBounded, type ErrorLog } from './errors.ts';
import { normalizeAcrRegistry } from './normalize-acr.ts';
import { sdkJson } from './sdk-json.ts';

export interface AcrScope {
  subscription: string;
  client: ContainerRegistryManagementClient;
  errors: ErrorLog;
  ctx: { collectedAt: string; source?: string };
}

export async function collectAcr(s: AcrScope): Promise<RegistryAsset[]> {
  const registries = await listBounded(s.client.registries.list(), 'registries', `azure/${s.subscription}/acr`, s.errors, sdkJson);
  const assets: RegistryAsset[] = [];
  for (const resource of registries) {
    const id = String((resource as { id?: unknown }).id ?? '(no id)');
    const scope = `azure/${s.subscription}/acr/${id.split('/').pop()}`;
    const asset = await s.errors.guard(scope, async () => {
      const { resourceGroup, name } = parseArmId(id);
      // Replications exist only on Premium; elsewhere the list is empty, which is an answer. A list that
      // could not be read is a collection error on the asset (its replica locations are unknown).
      const replications = await s.errors.attempt(`${scope}/replications`, () =>
        listBounded(s.client.replications.list(resourceGroup, name), 'replications', `${scope}/replications`, s.errors, sdkJson, { whole: true }),
      );
      return normalizeAcrRegistry(replications.ok ? { resource, replications: replications.value } : { resource, failed: { replications: replications.error } }, s.ctx);
    });
    if (asset) assets.push(asset);
  }
  return assets;
}
