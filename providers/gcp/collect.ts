// `posture scan --gcp`: GKE clusters and Artifact Registry Docker repositories in every configured
// project, their newest images pulled through the OCI client, with a bounded number of projects at once.
// A project that refuses (403) becomes one collection error; the others are still read.
import { ArtifactRegistryClient } from '@google-cloud/artifact-registry';
import { ClusterManagerClient } from '@google-cloud/container';
import type { AuthClient } from 'google-auth-library';
import type { ClientOptions } from 'google-gax';
import pLimit from 'p-limit';
import type { Asset } from '../../core/asset.ts';
import { GcpSettings } from '../../core/config.ts';
import { collectRegistryImage, type CollectOptions } from '../oci/index.ts';
import { collectArtifactRegistry, type ArImageTarget } from './artifact-registry.ts';
import { defaultGoogleAuthClient } from './auth.ts';
import { ErrorLog } from './errors.ts';
import { collectGke } from './gke.ts';
import { googleRegistryCredentials } from './registry-credentials.ts';

export interface CollectGcpOptions {
  /** The `gcp` section of the config (validated here). */
  settings: GcpSettings | Record<string, unknown>;
  /** Credentials; default Application Default Credentials (including external_account / AWS federation). */
  authClient?: AuthClient;
  /** Extra google-gax client options per API (e.g. `sslCreds`, `fallback`, `protocol` for stand-ins). */
  clientOptions?: { container?: ClientOptions; artifactRegistry?: ClientOptions };
  /** Image pulls: registry hosts that get the Google credential besides *.pkg.dev / gcr.io, plain-HTTP hosts, caps. */
  images?: Pick<CollectOptions, 'insecureHosts' | 'limits' | 'timeouts' | 'maxRetries' | 'platform'> & { extraRegistryHosts?: readonly string[] };
  now?: Date;
  signal?: AbortSignal;
}

import type { CloudCollection } from '../../core/collection-errors.ts';
export type { CloudCollection };

function endpointOptions(hostPort: string | undefined): ClientOptions {
  if (!hostPort) return {};
  const [host, port] = hostPort.split(':');
  return { apiEndpoint: host, ...(port ? { port: Number(port) } : {}) };
}

/** Whether gax talks gRPC or HTTP/1.1 REST with these options (`fallback` true/'rest' means REST). */
const transportOf = (options: ClientOptions): 'grpc' | 'rest' => (options.fallback ? 'rest' : 'grpc');

export async function collectGcp(options: CollectGcpOptions): Promise<CloudCollection> {
  const settings = GcpSettings.parse(options.settings);
  if (settings.projects.length === 0) throw new Error('gcp.projects is empty: name the projects to scan in the config');
  const authClient = options.authClient ?? (await defaultGoogleAuthClient());
  const errors = new ErrorLog();
  const ctx = { collectedAt: (options.now ?? new Date()).toISOString() };
  const containerOptions: ClientOptions = { authClient, ...endpointOptions(settings.endpoints.container), ...options.clientOptions?.container };
  const arOptions: ClientOptions = { authClient, ...endpointOptions(settings.endpoints.artifactRegistry), ...options.clientOptions?.artifactRegistry };
  const gke = settings.services.includes('gke') ? new ClusterManagerClient(containerOptions) : undefined;
  const ar = settings.services.includes('artifact-registry') ? new ArtifactRegistryClient(arOptions) : undefined;
  const assets: Asset[] = [];
  const images: ArImageTarget[] = [];
  const limit = pLimit(settings.concurrency);
  try {
    await Promise.all(
      settings.projects.map((project) =>
        limit(async () => {
          const [clusters, registries] = await Promise.all([
            gke ? errors.guard(`gcp/${project}/gke`, () => collectGke({ project, client: gke, transport: transportOf(containerOptions), errors, ctx })) : undefined,
            ar
              ? errors.guard(`gcp/${project}/artifact-registry`, () =>
                  collectArtifactRegistry({ project, client: ar, transport: transportOf(arOptions), locations: settings.locations, imagesPerRepository: settings.imagesPerRepository, errors, ctx }),
                )
              : undefined,
          ]);
          assets.push(...(clusters ?? []), ...(registries?.repositories ?? []));
          images.push(...(registries?.images ?? []));
        }),
      ),
    );
  } finally {
    await Promise.all([gke?.close(), ar?.close()]);
  }

  const credentials = googleRegistryCredentials(authClient, options.images?.extraRegistryHosts);
  const pullLimit = pLimit(settings.concurrency);
  await Promise.all(
    images.map((target) =>
      pullLimit(async () => {
        const pulled = await errors.guard(`gcp/${target.repository.account}/${target.repository.region}/artifact-registry/${target.repository.registry.name}/image`, () =>
          collectRegistryImage(target.reference, {
            ...options.images,
            credentialProviders: [credentials],
            analyzeLayers: settings.analyzeLayers,
            signal: options.signal,
            now: options.now,
          }),
        );
        // Images inherit the repository's labels so residency and ownership rules see its classification.
        assets.push(...(pulled ?? []).map((image) => ({ ...image, tags: { ...target.repository.tags, ...image.tags } })));
      }),
    ),
  );
  return { assets: assets.sort((a, b) => a.id.localeCompare(b.id)), errors: errors.list() };
}
