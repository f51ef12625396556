// ECR in one account and region: the registry itself (scanning, replication, pull-through cache rules,
// registry policy) as an asset, then every repository with its policy, lifecycle policy and tags, and the
// newest images to pull.
import {
  DescribeRegistryCommand,
  GetLifecyclePolicyCommand,
  GetRegistryPolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  paginateDescribeImages,
  paginateDescribePullThroughCacheRules,
  paginateDescribeRepositories,
  type ECRClient,
  type ImageDetail,
  type Repository,
} from '@aws-sdk/client-ecr';
import type { LimitFunction } from 'p-limit';
import type { EcrRegistryAsset, ImageStoreAsset } from '../../core/asset.ts';
import { apiJson } from './api-json.ts';
import { attempt, errorCode, scopeOf, type ErrorLog } from './scope.ts';
import { normalizeEcrRegistry } from './normalize/ecr-registry.ts';
import { normalizeEcrRepository } from './normalize/ecr-repository.ts';
import type { CollectContext } from './normalize/context.ts';

export interface EcrScope {
  account: string;
  region: string;
  client: ECRClient;
  errors: ErrorLog;
  ctx: CollectContext;
  imagesPerRepository: number;
  partition?: string;
  /** Bounds how many resources of the scope are being read at once (never taken twice by one read). */
  reads: LimitFunction;
}

/** An image chosen for pulling, with what ECR itself says about it (tags, push time, native scan). */
export interface EcrImageTarget {
  repository: Repository;
  repositoryTags: Record<string, string>;
  image: ImageDetail;
}

export interface EcrCollection {
  /** The registry's own settings; undefined only when none of them could be read. */
  registry: EcrRegistryAsset | undefined;
  repositories: ImageStoreAsset[];
  images: EcrImageTarget[];
}

/** A policy that is not there is an answer (null); any other failure means "not collected" (undefined). */
async function optionalText(errors: ErrorLog, scope: string, notFound: string, read: () => Promise<string | undefined>): Promise<string | null | undefined> {
  try {
    return (await read()) ?? null;
  } catch (err) {
    if (errorCode(err) === notFound) return null;
    errors.add(scope, err);
    return undefined;
  }
}

async function newestImages(s: EcrScope, repositoryName: string, registryId: string | undefined): Promise<ImageDetail[]> {
  const details: ImageDetail[] = [];
  for await (const page of paginateDescribeImages({ client: s.client, pageSize: 1000 }, { repositoryName, ...(registryId ? { registryId } : {}), filter: { tagStatus: 'ANY' } })) {
    details.push(...(page.imageDetails ?? []));
  }
  const pushed = (d: ImageDetail) => d.imagePushedAt?.getTime() ?? 0;
  return details.sort((a, b) => pushed(b) - pushed(a) || (a.imageDigest ?? '').localeCompare(b.imageDigest ?? '')).slice(0, s.imagesPerRepository);
}

async function collectRepository(s: EcrScope, repository: Repository, registry: { scanningConfiguration?: unknown; replicationConfiguration?: unknown }): Promise<{ asset: ImageStoreAsset; images: EcrImageTarget[] }> {
  const name = repository.repositoryName ?? '';
  const scope = scopeOf(s.account, s.region, 'ecr', 'repository', name);
  const ids = { repositoryName: name, ...(repository.registryId ? { registryId: repository.registryId } : {}) };
  const [policyText, lifecyclePolicyText, tagList, images] = await Promise.all([
    optionalText(s.errors, `${scope}/policy`, 'RepositoryPolicyNotFoundException', async () => (await s.client.send(new GetRepositoryPolicyCommand(ids))).policyText),
    optionalText(s.errors, `${scope}/lifecycle-policy`, 'LifecyclePolicyNotFoundException', async () => (await s.client.send(new GetLifecyclePolicyCommand(ids))).lifecyclePolicyText),
    s.errors.guard(`${scope}/tags`, async () => (await s.client.send(new ListTagsForResourceCommand({ resourceArn: repository.repositoryArn }))).tags ?? []),
    s.imagesPerRepository > 0 ? s.errors.guard(`${scope}/images`, () => newestImages(s, name, repository.registryId)) : Promise.resolve([]),
  ]);
  const asset = normalizeEcrRepository(
    {
      repository: apiJson(repository),
      ...(tagList !== undefined ? { tags: apiJson(tagList) } : {}),
      ...(policyText !== undefined ? { policyText } : {}),
      ...(lifecyclePolicyText !== undefined ? { lifecyclePolicyText } : {}),
      ...registry,
    },
    s.ctx,
  );
  return { asset, images: (images ?? []).map((image) => ({ repository, repositoryTags: asset.tags, image })) };
}

async function pullThroughCacheRules(s: EcrScope): Promise<unknown[]> {
  const rules: unknown[] = [];
  for await (const page of paginateDescribePullThroughCacheRules({ client: s.client }, {})) rules.push(...(page.pullThroughCacheRules ?? []).map((r) => apiJson(r)));
  return rules;
}

/** A registry policy that is not there is an answer (null), not a failure. */
async function registryPolicy(s: EcrScope): Promise<string | null> {
  try {
    return (await s.client.send(new GetRegistryPolicyCommand({}))).policyText ?? null;
  } catch (err) {
    if (errorCode(err) === 'RegistryPolicyNotFoundException') return null;
    throw err;
  }
}

async function collectRegistry(s: EcrScope): Promise<{ asset: EcrRegistryAsset | undefined; settings: { scanningConfiguration?: unknown; replicationConfiguration?: unknown } }> {
  const scope = scopeOf(s.account, s.region, 'ecr', 'registry');
  const [scanning, replication, cacheRules, policyText] = await Promise.all([
    attempt(s.errors, `${scope}/scanning-configuration`, async () => apiJson((await s.client.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration ?? null)),
    attempt(s.errors, `${scope}/replication-configuration`, async () => apiJson((await s.client.send(new DescribeRegistryCommand({}))).replicationConfiguration ?? null)),
    attempt(s.errors, `${scope}/pull-through-cache-rules`, () => pullThroughCacheRules(s)),
    attempt(s.errors, `${scope}/policy`, () => registryPolicy(s)),
  ]);
  const settings = {
    ...(scanning.ok ? { scanningConfiguration: scanning.value } : {}),
    ...(replication.ok ? { replicationConfiguration: replication.value } : {}),
  };
  const failed = {
    ...(scanning.ok ? {} : { scanningConfiguration: scanning.error }),
    ...(replication.ok ? {} : { replicationConfiguration: replication.error }),
    ...(cacheRules.ok ? {} : { pullThroughCacheRules: cacheRules.error }),
    ...(policyText.ok ? {} : { policyText: policyText.error }),
  };
  // Nothing read at all (e.g. ECR refused in this scope): no registry asset, the errors say why.
  if (Object.keys(failed).length === 4) return { asset: undefined, settings };
  const asset = await s.errors.guard(scope, async () =>
    normalizeEcrRegistry(
      {
        registryId: s.account,
        region: s.region,
        ...(s.partition ? { partition: s.partition } : {}),
        ...settings,
        ...(cacheRules.ok ? { pullThroughCacheRules: cacheRules.value } : {}),
        ...(policyText.ok ? { policyText: policyText.value } : {}),
        ...(Object.keys(failed).length ? { failed } : {}),
      },
      s.ctx,
    ),
  );
  return { asset, settings };
}

/**
 * Every account has a private registry in every region; one that holds no repositories and has no
 * pull-through cache rule, replication rule or registry policy is not in use and is not reported (a
 * sweep of all enabled regions would otherwise judge a dozen empty ones). A part that could not be read
 * is a collection error of the scope either way.
 */
function inUse(registry: EcrRegistryAsset, repositories: number): boolean {
  const r = registry.registry;
  return repositories > 0 || (r.pullThroughCache?.length ?? 0) > 0 || (r.replication?.rules.length ?? 0) > 0 || r.policy?.present === true;
}

export async function collectEcr(s: EcrScope): Promise<EcrCollection> {
  // The registry's settings are read while repositories are listed; each page's repositories are read as soon
  // as the page is back (their assets carry the registry's scanning and replication settings, so they wait for those).
  const registryRead = collectRegistry(s);
  // Handled below (and by every repository's read); this keeps a failure while listing from counting as unhandled.
  registryRead.catch(() => undefined);
  const pending: Promise<Awaited<ReturnType<typeof collectRepository>> | undefined>[] = [];
  for await (const page of paginateDescribeRepositories({ client: s.client }, {})) {
    for (const r of page.repositories ?? []) {
      pending.push(
        s.errors.guard(scopeOf(s.account, s.region, 'ecr', 'repository', r.repositoryName), async () => {
          const { settings } = await registryRead;
          return s.reads(() => collectRepository(s, r, settings));
        }),
      );
    }
  }
  const { asset } = await registryRead;
  const registry = asset && inUse(asset, pending.length) ? asset : undefined;
  const results = await Promise.all(pending);
  const done = results.filter((r): r is NonNullable<typeof r> => r !== undefined);
  return { registry, repositories: done.map((r) => r.asset), images: done.flatMap((r) => r.images) };
}
