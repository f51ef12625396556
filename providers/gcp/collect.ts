// Google Cloud collection, one project at a time: GKE clusters and Artifact Registry Docker repositories,
// whose newest images become pull targets. A project that refuses (403) becomes one error per service.
import { ArtifactRegistryClient } from '@google-cloud/artifact-registry';
import { ClusterManagerClient } from '@google-cloud/container';
import type { AuthClient } from 'google-auth-library';
import type { ClientOptions } from 'google-gax';
import type { Asset } from '../../core/asset.ts';
import type { CloudCollection } from '../../core/collection-errors.ts';
import { collectProvider } from '../orchestrate.ts';
import type { ImageTarget } from '../provider.ts';
import { parseReference } from '../oci/reference.ts';
import { collectArtifactRegistry } from './artifact-registry.ts';
import type { ErrorLog } from './errors.ts';
import { endpointOptions } from './endpoint.ts';
import { collectGke } from './gke.ts';
import type { GcpAccess } from './provider.ts';
import { GcpSettings } from './settings.ts';

export type { CloudCollection };

export { endpointOptions };

/** Whether gax talks gRPC or HTTP/1.1 REST with these options (`fallback` true/'rest' means REST). */
const transportOf = (options: ClientOptions): 'grpc' | 'rest' => (options.fallback ? 'rest' : 'grpc');

/** The API clients of one run, shared by its projects and closed at its end. */
export class GcpClients {
  readonly containerOptions: ClientOptions;
  readonly arOptions: ClientOptions;
  readonly gke: ClusterManagerClient | undefined;
  readonly ar: ArtifactRegistryClient | undefined;

  constructor(
    readonly settings: GcpSettings,
    authClient: AuthClient,
    overrides: GcpAccess['clientOptions'],
  ) {
    this.containerOptions = { authClient, ...endpointOptions(settings.endpoints.container), ...overrides?.container };
    this.arOptions = { authClient, ...endpointOptions(settings.endpoints.artifactRegistry), ...overrides?.artifactRegistry };
    this.gke = settings.services.includes('gke') ? new ClusterManagerClient(this.containerOptions) : undefined;
    this.ar = settings.services.includes('artifact-registry') ? new ArtifactRegistryClient(this.arOptions) : undefined;
  }

  async close(): Promise<void> {
    await Promise.all([this.gke?.close(), this.ar?.close()]);
  }
}

export async function collectGcpProject(clients: GcpClients, project: string, errors: ErrorLog, collectedAt: Date): Promise<{ assets: Asset[]; images: ImageTarget[] }> {
  const settings = clients.settings;
  const ctx = { collectedAt: collectedAt.toISOString() };
  const [clusters, registries] = await Promise.all([
    clients.gke ? errors.guard(`gcp/${project}/gke`, () => collectGke({ project, client: clients.gke!, transport: transportOf(clients.containerOptions), errors, ctx })) : undefined,
    clients.ar
      ? errors.guard(`gcp/${project}/artifact-registry`, () =>
          collectArtifactRegistry({ project, client: clients.ar!, transport: transportOf(clients.arOptions), locations: settings.locations, imagesPerRepository: settings.imagesPerRepository, errors, ctx }),
        )
      : undefined,
  ]);
  const images: ImageTarget[] = (registries?.images ?? []).map((target) => {
    const ref = parseReference(target.reference);
    const repo = target.repository;
    return {
      provider: 'gcp',
      account: repo.account,
      region: repo.region,
      image: { registry: ref.registry, repository: ref.repository, digest: ref.digest, tag: ref.digest ? null : ref.tag },
      // Images inherit the repository's labels so residency and ownership rules see its classification.
      tags: repo.tags,
      analyzeLayers: settings.analyzeLayers,
      scope: `gcp/${repo.account}/${repo.region}/artifact-registry/${repo.registry.name}/image`,
    };
  });
  return { assets: [...(clusters ?? []), ...(registries?.repositories ?? [])], images };
}

export interface CollectGcpOptions {
  /** The `gcp` section of the config (validated here). */
  settings: GcpSettings | Record<string, unknown>;
  /** Credentials; default Application Default Credentials (including external_account / AWS federation). */
  authClient?: AuthClient;
  /** Extra google-gax client options per API (e.g. `sslCreds`, `fallback`, `protocol` for stand-ins). */
  clientOptions?: GcpAccess['clientOptions'];
  /** Image pulls: registry hosts that get the Google credential besides *.pkg.dev / gcr.io, plain-HTTP hosts. */
  images?: { insecureHosts?: readonly string[]; extraRegistryHosts?: readonly string[]; tokenRealms?: Readonly<Record<string, readonly string[]>> };
  now?: Date;
  signal?: AbortSignal;
}

/** Every configured project, images pulled: what `posture scan --gcp` runs. */
export async function collectGcp(options: CollectGcpOptions): Promise<CloudCollection> {
  const settings = GcpSettings.parse(options.settings);
  const run = await collectProvider('gcp', {
    settings: { gcp: settings },
    access: { gcp: { ...(options.authClient ? { authClient: options.authClient } : {}), ...(options.clientOptions ? { clientOptions: options.clientOptions } : {}) } },
    images: {
      insecureHosts: options.images?.insecureHosts ?? [],
      registryHosts: Object.fromEntries((options.images?.extraRegistryHosts ?? []).map((host) => [host, 'gcp'])),
      ...(options.images?.tokenRealms ? { options: { tokenRealms: options.images.tokenRealms } } : {}),
    },
    ...(options.now ? { now: () => options.now as Date } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { assets: run.assets, errors: run.errors };
}
