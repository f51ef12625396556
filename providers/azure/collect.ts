// Azure collection, one subscription at a time: AKS clusters and ACR registries through the @azure/arm-*
// SDK clients (paging, 429 Retry-After and 5xx retries are the pipeline's). A subscription that refuses
// (403 AuthorizationFailed) becomes one error per service. The configured ACR images whose login server is a
// registry of the subscription become its pull targets (the registry says where they live).
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import type { Asset, RegistryAsset } from '../../core/asset.ts';
import type { CloudCollection } from '../../core/collection-errors.ts';
import { parseReference } from '../oci/reference.ts';
import { collectProvider } from '../orchestrate.ts';
import type { ImageTarget } from '../provider.ts';
import { collectAcr } from './acr.ts';
import { collectAks } from './aks.ts';
import { diagnosticSettingsReader } from './diagnostic-settings.ts';
import { ErrorLog } from './errors.ts';
import type { AzureAccess } from './provider.ts';
import { AzureSettings } from './settings.ts';

export type { CloudCollection };

const defaultEndpoint = 'https://management.azure.com';

/** What the subscriptions of one run share: the credential, the ARM endpoint and client options. */
export interface AzureRun {
  settings: AzureSettings;
  credential: TokenCredential;
  endpoint: string;
  clientOptions: Record<string, unknown>;
  httpClient: HttpClient;
}

export function newAzureRun(settings: AzureSettings, credential: TokenCredential, tls?: AzureAccess['tls']): AzureRun {
  const endpoint = (settings.endpoint ?? defaultEndpoint).replace(/\/$/, '');
  return {
    settings,
    credential,
    endpoint,
    clientOptions: {
      endpoint,
      // The token audience is the ARM endpoint itself (sovereign clouds have their own).
      credentials: { scopes: [`${endpoint}/.default`] },
      retryOptions: { maxRetries: settings.maxRetries },
      ...(tls ? { tlsOptions: { ca: tls.ca } } : {}),
    },
    httpClient: createDefaultHttpClient(),
  };
}

/** `host/repository:tag` or `@digest` (with or without oci://) → the image fields of a pull target. */
function imageOf(reference: string): ImageTarget['image'] {
  const ref = parseReference(reference.startsWith('oci://') ? reference : `oci://${reference}`);
  return { registry: ref.registry, repository: ref.repository, digest: ref.digest, tag: ref.digest ? null : ref.tag };
}

export async function collectAzureSubscription(run: AzureRun, subscription: string, errors: ErrorLog, collectedAt: Date): Promise<{ assets: Asset[]; images: ImageTarget[] }> {
  const sub = subscription.toLowerCase();
  const ctx = { collectedAt: collectedAt.toISOString() };
  const services = run.settings.services;
  const [clusters, registries] = await Promise.all([
    services.includes('aks')
      ? errors.guard(`azure/${sub}/aks`, () => {
          const client = new ContainerServiceClient(run.credential, sub, run.clientOptions);
          return collectAks({ subscription: sub, client, diagnostics: diagnosticSettingsReader(client.pipeline, run.httpClient, run.endpoint), errors, ctx });
        })
      : undefined,
    services.includes('acr') ? errors.guard(`azure/${sub}/acr`, () => collectAcr({ subscription: sub, client: new ContainerRegistryManagementClient(run.credential, sub, run.clientOptions), errors, ctx })) : undefined,
  ]);
  const loginServers = new Map<string, RegistryAsset>();
  for (const registry of registries ?? []) if (registry.registry.uri) loginServers.set(registry.registry.uri.toLowerCase(), registry);
  const images: ImageTarget[] = [];
  for (const reference of run.settings.images) {
    try {
      const image = imageOf(reference);
      const registry = loginServers.get(image.registry.toLowerCase());
      if (registry) images.push({ provider: 'azure', account: sub, region: registry.region, image, tags: registry.tags, analyzeLayers: run.settings.analyzeLayers, scope: `azure/image/${reference.slice(0, 300)}` });
    } catch (err) {
      errors.add(`azure/image/${reference.slice(0, 300)}`, err);
    }
  }
  return { assets: [...(clusters ?? []), ...(registries ?? [])], images };
}

export interface CollectAzureOptions {
  /** The `azure` section of the config (validated here). */
  settings: AzureSettings | Record<string, unknown>;
  /** Default: ClientAssertionCredential with AWS federation when configured, else DefaultAzureCredential. */
  credential?: TokenCredential;
  /** Extra trusted CA certificates (PEM) for ARM: an internal CA in front of ARM, or a loopback stand-in. */
  tls?: { ca: string | string[] };
  /** Image pulls: registry host → host spoken to, hosts served like ACR besides *.azurecr.io, plain-HTTP hosts (loopback only). */
  images?: { endpoints?: Readonly<Record<string, string>>; insecureHosts?: readonly string[]; extraRegistryHosts?: readonly string[]; tokenRealms?: Readonly<Record<string, readonly string[]>> };
  now?: Date;
  signal?: AbortSignal;
}

/** Every configured subscription, images pulled: what `posture scan --azure` runs. */
export async function collectAzure(options: CollectAzureOptions): Promise<CloudCollection> {
  const settings = AzureSettings.parse(options.settings);
  const run = await collectProvider('azure', {
    settings: { azure: settings },
    access: { azure: { ...(options.credential ? { credential: options.credential } : {}), ...(options.tls ? { tls: options.tls } : {}) } },
    images: {
      ...(options.images?.endpoints ? { endpoints: options.images.endpoints } : {}),
      insecureHosts: options.images?.insecureHosts ?? [],
      registryHosts: Object.fromEntries((options.images?.extraRegistryHosts ?? []).map((host) => [host, 'azure'])),
      ...(options.images?.tokenRealms ? { options: { tokenRealms: options.images.tokenRealms } } : {}),
    },
    ...(options.now ? { now: () => options.now as Date } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { assets: run.assets, errors: run.errors };
}
