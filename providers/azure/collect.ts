// `posture scan --azure`: AKS clusters and ACR registries in every configured subscription through the
// @azure/arm-* SDK clients (paging, 429 Retry-After and 5xx retries are the pipeline's), the configured
// ACR images through the OCI client with ACR's token exchange, a bounded number of subscriptions at once.
// A subscription that refuses (403 AuthorizationFailed) becomes one error per service; the rest continue.
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient } from '@azure/core-rest-pipeline';
import pLimit from 'p-limit';
import type { Asset } from '../../core/asset.ts';
import { AzureSettings } from '../../core/config.ts';
import { collectRegistryImage, type CollectOptions } from '../oci/index.ts';
import { collectAcr } from './acr.ts';
import { collectAks } from './aks.ts';
import { azureCredential } from './credentials.ts';
import { diagnosticSettingsReader } from './diagnostic-settings.ts';
import { ErrorLog } from './errors.ts';
import { acrCredentials } from './registry-credentials.ts';

export interface CollectAzureOptions {
  /** The `azure` section of the config (validated here). */
  settings: AzureSettings | Record<string, unknown>;
  /** Default: ClientAssertionCredential with AWS federation when configured, else DefaultAzureCredential. */
  credential?: TokenCredential;
  /** Extra trusted CA certificates (PEM) for ARM: an internal CA in front of ARM, or a loopback stand-in. */
  tls?: { ca: string | string[] };
  /** Image pulls: hosts served like ACR besides *.azurecr.io, plain-HTTP hosts (loopback only), caps. */
  images?: Pick<CollectOptions, 'insecureHosts' | 'limits' | 'timeouts' | 'maxRetries' | 'platform'> & { extraRegistryHosts?: readonly string[] };
  now?: Date;
  signal?: AbortSignal;
}

import type { CloudCollection } from '../../core/collection-errors.ts';
export type { CloudCollection };

const defaultEndpoint = 'https://management.azure.com';

export async function collectAzure(options: CollectAzureOptions): Promise<CloudCollection> {
  const settings = AzureSettings.parse(options.settings);
  if (settings.subscriptions.length === 0) throw new Error('azure.subscriptions is empty: name the subscriptions to scan in the config');
  const credential = options.credential ?? azureCredential(settings);
  const endpoint = (settings.endpoint ?? defaultEndpoint).replace(/\/$/, '');
  const clientOptions = {
    endpoint,
    // The token audience is the ARM endpoint itself (sovereign clouds have their own).
    credentials: { scopes: [`${endpoint}/.default`] },
    retryOptions: { maxRetries: settings.maxRetries },
    ...(options.tls ? { tlsOptions: { ca: options.tls.ca } } : {}),
  };
  const httpClient = createDefaultHttpClient();
  const errors = new ErrorLog();
  const ctx = { collectedAt: (options.now ?? new Date()).toISOString() };
  const assets: Asset[] = [];
  const limit = pLimit(settings.concurrency);
  await Promise.all(
    settings.subscriptions.map((subscription) =>
      limit(async () => {
        const sub = subscription.toLowerCase();
        const [clusters, registries] = await Promise.all([
          settings.services.includes('aks')
            ? errors.guard(`azure/${sub}/aks`, () => {
                const client = new ContainerServiceClient(credential, sub, clientOptions);
                return collectAks({ subscription: sub, client, diagnostics: diagnosticSettingsReader(client.pipeline, httpClient, endpoint), errors, ctx });
              })
            : undefined,
          settings.services.includes('acr')
            ? errors.guard(`azure/${sub}/acr`, () => collectAcr({ subscription: sub, client: new ContainerRegistryManagementClient(credential, sub, clientOptions), errors, ctx }))
            : undefined,
        ]);
        assets.push(...(clusters ?? []), ...(registries ?? []));
      }),
    ),
  );

  const tenantId = settings.federation?.tenantId;
  const pull = acrCredentials(credential, { ...(tenantId ? { tenantId } : {}), extraHosts: options.images?.extraRegistryHosts, insecureHosts: options.images?.insecureHosts });
  const pullLimit = pLimit(settings.concurrency);
  await Promise.all(
    settings.images.map((reference) =>
      pullLimit(async () => {
        const ref = reference.startsWith('oci://') ? reference : `oci://${reference}`;
        const images = await errors.guard(`azure/image/${reference}`, () =>
          collectRegistryImage(ref, { ...options.images, credentialProviders: [pull], analyzeLayers: settings.analyzeLayers, signal: options.signal, now: options.now }),
        );
        assets.push(...(images ?? []));
      }),
    ),
  );
  return { assets: assets.sort((a, b) => a.id.localeCompare(b.id)), errors: errors.list() };
}
