// Artifact Registry in one project: the locations it serves (or the configured ones), every Docker
// repository in each (paged by pageToken), each repository's IAM policy, and its newest images.
import type { ArtifactRegistryClient } from '@google-cloud/artifact-registry';
import type { ImageStoreAsset } from '../../core/asset.ts';
import type { ErrorLog } from './errors.ts';
import { normalizeArtifactRegistryRepository } from './normalize-artifact-registry.ts';
import { enumEncodingOf, toRestJson } from './proto-json.ts';
import { arDockerImageType, arRepositoryType, iamPolicyType } from './protos.ts';

export interface ArScope {
  project: string;
  client: ArtifactRegistryClient;
  transport: 'grpc' | 'rest';
  /** Locations to read; empty lists them from the API. */
  locations: readonly string[];
  imagesPerRepository: number;
  errors: ErrorLog;
  ctx: { collectedAt: string; source?: string };
}

/** An image to pull: the registry's own reference for it, and the repository it belongs to. */
export interface ArImageTarget {
  reference: string;
  repository: ImageStoreAsset;
  tags: string[];
}

export interface ArCollection {
  repositories: ImageStoreAsset[];
  images: ArImageTarget[];
}

const pageSize = 100;
/** A project with more locations or repositories than this is reported as truncated, never looped on forever. */
const maxItems = 5000;

async function take<T>(items: AsyncIterable<T>, limit: number, onTruncate: () => void): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    if (out.length >= limit) {
      onTruncate();
      break;
    }
    out.push(item);
  }
  return out;
}

async function locationsOf(s: ArScope): Promise<string[]> {
  if (s.locations.length) return [...s.locations];
  const listed = await take(s.client.listLocationsAsync({ name: `projects/${s.project}`, pageSize }), maxItems, () =>
    s.errors.add(`gcp/${s.project}/artifact-registry`, `more than ${maxItems} locations; the rest were not read`),
  );
  return [...new Set(listed.map((l) => l.locationId).filter((id): id is string => typeof id === 'string' && id !== ''))].sort();
}

async function newestImages(s: ArScope, repository: ImageStoreAsset, name: string): Promise<ArImageTarget[]> {
  const type = arDockerImageType();
  const images = await take(s.client.listDockerImagesAsync({ parent: name, pageSize: Math.min(pageSize, s.imagesPerRepository), orderBy: 'update_time desc' }), s.imagesPerRepository, () => {});
  return images.map((image) => {
    const json = toRestJson(type, image) as { uri?: string; tags?: string[] };
    if (!json.uri) throw new Error(`docker image ${String(image.name)} has no uri`);
    return { reference: `oci://${json.uri}`, repository, tags: json.tags ?? [] };
  });
}

async function collectLocation(s: ArScope, location: string): Promise<ArCollection> {
  const parent = `projects/${s.project}/locations/${location}`;
  const scope = `gcp/${s.project}/${location}/artifact-registry`;
  const repoType = arRepositoryType();
  const listed = await take(s.client.listRepositoriesAsync({ parent, pageSize }), maxItems, () => s.errors.add(scope, `more than ${maxItems} repositories; the rest were not read`));
  const out: ArCollection = { repositories: [], images: [] };
  for (const repo of listed) {
    const json = toRestJson(repoType, repo);
    if (json.format !== 'DOCKER') continue;
    const name = String(json.name);
    const repoScope = `${scope}/${name.split('/').pop()}`;
    // A policy we could not read is "not collected" (undefined), never "not public".
    const policy = await s.errors.attempt(`${repoScope}/iam-policy`, async () => toRestJson(iamPolicyType(), (await s.client.getIamPolicy({ resource: name }))[0]));
    const asset = await s.errors.guard(repoScope, async () =>
      normalizeArtifactRegistryRepository(
        { repository: json, ...(policy.ok ? { iamPolicy: policy.value } : { failed: { iamPolicy: policy.error } }), decoded: { transport: s.transport, enumsReceivedAs: enumEncodingOf(repoType, repo) } },
        s.ctx,
      ),
    );
    if (!asset) continue;
    out.repositories.push(asset);
    if (s.imagesPerRepository > 0 && json.mode !== 'VIRTUAL_REPOSITORY') {
      out.images.push(...((await s.errors.guard(`${repoScope}/images`, () => newestImages(s, asset, name))) ?? []));
    }
  }
  return out;
}

export async function collectArtifactRegistry(s: ArScope): Promise<ArCollection> {
  const out: ArCollection = { repositories: [], images: [] };
  for (const location of await locationsOf(s)) {
    const part = await s.errors.guard(`gcp/${s.project}/${location}/artifact-registry`, () => collectLocation(s, location));
    if (part) {
      out.repositories.push(...part.repositories);
      out.images.push(...part.images);
    }
  }
  return out;
}
