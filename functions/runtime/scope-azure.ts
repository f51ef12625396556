// One Azure scope (subscription): AKS clusters and ACR registries through `collectAzure` for that
// subscription alone, without pulling images. The provider does not list repositories inside a registry,
// so the images of a subscription are the configured `azure.images` whose host is the login server of an
// ACR registry found in it; each becomes one `scan-image` job.
import type { TokenCredential } from '@azure/core-auth';
import type { RegistryAsset } from '../../core/asset.ts';
import { AzureSettings } from '../../core/config.ts';
import type { ScanImageJob, ScanScopeJob } from '../../core/jobs.ts';
import type { ScanError } from '../../core/scan.ts';
import { collectAzure } from '../../providers/azure/index.ts';
import type { Swept } from './collectors.ts';
import { imageFromReference, imageJob } from './scope-jobs.ts';

export interface AzureScopeAccess {
  /** The `azure` section of posture.yaml; subscriptions are replaced by the job's. */
  settings: AzureSettings;
  /** Default: federation from AWS when configured, else DefaultAzureCredential. */
  credential?: TokenCredential;
  /** Extra trusted CAs for ARM (an internal CA, or a loopback stand-in). */
  tls?: { ca: string | string[] };
}

export async function sweepAzureScope(job: ScanScopeJob, access: AzureScopeAccess, now: Date): Promise<Swept> {
  const settings = AzureSettings.parse({ ...access.settings, subscriptions: [job.account], images: [] });
  const collection = await collectAzure({
    settings,
    ...(access.credential ? { credential: access.credential } : {}),
    ...(access.tls ? { tls: access.tls } : {}),
    now,
  });
  const errors: ScanError[] = collection.errors.map((e) => ({ source: e.scope, message: e.message }));
  const loginServers = new Map<string, RegistryAsset>();
  for (const a of collection.assets) {
    if (a.kind === 'registry' && a.registry.service === 'acr' && a.registry.uri) loginServers.set(a.registry.uri.toLowerCase(), a);
  }
  const jobs: ScanImageJob[] = [];
  for (const reference of access.settings.images) {
    try {
      const image = imageFromReference(reference);
      const registry = loginServers.get(image.registry.toLowerCase());
      if (registry) jobs.push(imageJob(job, image, job.account, registry.region));
    } catch (err) {
      errors.push({ source: `azure/image/${reference.slice(0, 300)}`, message: (err as Error).message.slice(0, 600) });
    }
  }
  return { assets: collection.assets, errors, jobs };
}
