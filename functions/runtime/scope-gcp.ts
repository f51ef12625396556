// One Google Cloud scope (project): GKE clusters and Artifact Registry repositories through `collectGcp`
// for that project alone, without pulling images; then the newest images of each Docker repository,
// listed through the Artifact Registry API and returned as one `scan-image` job each.
import { ArtifactRegistryClient } from '@google-cloud/artifact-registry';
import type { AuthClient } from 'google-auth-library';
import type { ClientOptions } from 'google-gax';
import type { RegistryAsset } from '../../core/asset.ts';
import { GcpSettings } from '../../core/config.ts';
import type { ScanImageJob, ScanScopeJob } from '../../core/jobs.ts';
import type { ScanError } from '../../core/scan.ts';
import { defaultGoogleAuthClient } from '../../providers/gcp/auth.ts';
import { collectGcp, type CollectGcpOptions } from '../../providers/gcp/index.ts';
import type { Swept } from './collectors.ts';
import { imageFromReference, imageJob } from './scope-jobs.ts';

export interface GcpScopeAccess {
  /** The `gcp` section of posture.yaml; projects are replaced by the job's. */
  settings: GcpSettings;
  /** Default: Application Default Credentials (an external_account file for AWS federation). */
  authClient?: AuthClient;
  clientOptions?: CollectGcpOptions['clientOptions'];
}

function endpointOptions(hostPort: string | undefined): ClientOptions {
  if (!hostPort) return {};
  const [host, port] = hostPort.split(':');
  return { apiEndpoint: host, ...(port ? { port: Number(port) } : {}) };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

async function newestImageUris(client: ArtifactRegistryClient, repository: string, count: number): Promise<string[]> {
  const uris: string[] = [];
  for await (const image of client.listDockerImagesAsync({ parent: repository, pageSize: Math.min(100, count), orderBy: 'update_time desc' })) {
    if (image.uri) uris.push(image.uri);
    if (uris.length >= count) break;
  }
  return uris;
}

export async function sweepGcpScope(job: ScanScopeJob, access: GcpScopeAccess, now: Date): Promise<Swept> {
  const settings = GcpSettings.parse({ ...access.settings, projects: [job.account], imagesPerRepository: 0 });
  const authClient = access.authClient ?? (await defaultGoogleAuthClient());
  const collection = await collectGcp({ settings, authClient, ...(access.clientOptions ? { clientOptions: access.clientOptions } : {}), now });
  const errors: ScanError[] = collection.errors.map((e) => ({ source: e.scope, message: e.message }));
  const wanted = access.settings.imagesPerRepository;
  const repositories = collection.assets.filter((a): a is RegistryAsset => {
    if (a.kind !== 'registry' || a.registry.service !== 'artifact-registry') return false;
    const raw = (a.raw.repository ?? {}) as Record<string, unknown>;
    return raw.format === 'DOCKER' && raw.mode !== 'VIRTUAL_REPOSITORY' && typeof raw.name === 'string';
  });
  if (wanted === 0 || repositories.length === 0) return { assets: collection.assets, errors, jobs: [] };

  const client = new ArtifactRegistryClient({ authClient, ...endpointOptions(settings.endpoints.artifactRegistry), ...access.clientOptions?.artifactRegistry });
  const jobs: ScanImageJob[] = [];
  try {
    for (const repo of repositories) {
      const name = text((repo.raw.repository as Record<string, unknown>).name) as string;
      const scope = `gcp/${repo.account}/${repo.region}/artifact-registry/${repo.registry.name}/images`;
      try {
        for (const uri of await newestImageUris(client, name, wanted)) jobs.push(imageJob(job, imageFromReference(uri), job.account, repo.region));
      } catch (err) {
        errors.push({ source: scope, message: (err as Error).message.replace(/\s+/g, ' ').slice(0, 600) });
      }
    }
  } finally {
    await client.close();
  }
  return { assets: collection.assets, errors, jobs };
}
