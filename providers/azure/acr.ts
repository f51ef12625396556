// ACR in one subscription: every registry (paged by nextLink inside the SDK) with its geo-replications.
import type { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import type { RegistryAsset } from '../../core/asset.ts';
import { parseArmId } from './arm-fields.ts';
import { maxResources, type ErrorLog } from './errors.ts';
import { normalizeAcrRegistry } from './normalize-acr.ts';
import { sdkJson } from './sdk-json.ts';

export interface AcrScope {
  subscription: string;
  client: ContainerRegistryManagementClient;
  errors: ErrorLog;
  ctx: { collectedAt: string; source?: string };
}

export async function collectAcr(s: AcrScope): Promise<RegistryAsset[]> {
  const registries: unknown[] = [];
  for await (const registry of s.client.registries.list()) {
    if (registries.length >= maxResources) {
      s.errors.add(`azure/${s.subscription}/acr`, `more than ${maxResources} registries; the rest were not read`);
      break;
    }
    registries.push(sdkJson(registry));
  }
  const assets: RegistryAsset[] = [];
  for (const resource of registries) {
    const id = String((resource as { id?: unknown }).id ?? '(no id)');
    const scope = `azure/${s.subscription}/acr/${id.split('/').pop()}`;
    const asset = await s.errors.guard(scope, async () => {
      const { resourceGroup, name } = parseArmId(id);
      // Replications exist only on Premium; elsewhere the list is empty, which is an answer.
      const replications = await s.errors.guard(`${scope}/replications`, async () => {
        const list: unknown[] = [];
        for await (const r of s.client.replications.list(resourceGroup, name)) list.push(sdkJson(r));
        return list;
      });
      return normalizeAcrRegistry({ resource, ...(replications !== undefined ? { replications } : {}) }, s.ctx);
    });
    if (asset) assets.push(asset);
  }
  return assets;
}
