// AWS collection, one account × region at a time: ECR, ECS and EKS read through the real SDK clients with
// bounded concurrency. A part that fails (AccessDenied, a region the account has not enabled, a throttled
// call that never recovered) is recorded as a collection error; the rest goes on. Images are not pulled
// here: the region's newest ECR images are returned as targets for the orchestration (providers/orchestrate.ts).
import pLimit from 'p-limit';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { ConfigError } from '../../core/config.ts';
import type { CloudCollection } from '../../core/collection-errors.ts';
import { collectProvider } from '../orchestrate.ts';
import { apiJson } from './api-json.ts';
import { ClientFactory, type AccountAccess, type AwsCredentials } from './clients.ts';
import { ecrCredentialProvider } from './ecr-credentials.ts';
import { ecrRegistryHost } from './ecr-host.ts';
import { registryEndpoint } from './ecr-images.ts';
import { collectEcr } from './ecr.ts';
import { collectEcs } from './ecs.ts';
import { collectEks } from './eks.ts';
import { listOidcProviders } from './iam.ts';
import { attempt, scopeOf, type Attempt, type ErrorLog } from './scope.ts';
import { AwsSettings } from './settings.ts';
import type { ImageTarget } from '../provider.ts';

export type { CollectionError } from './scope.ts';

/** What one run shares across its scopes: settings and one request limiter for every client. */
export interface AwsRun {
  settings: AwsSettings;
  factory: ClientFactory;
  homeRegion: string;
  /** Account-wide (IAM) reads shared by every region of an account, each made once. */
  oidcProviders: Map<string, Promise<Attempt<unknown[]>>>;
}

/** The account's IAM OIDC providers, listed once per run (IAM is global); a failure is recorded once. */
function oidcProvidersOf(run: AwsRun, access: AccountAccess, errors: ErrorLog): () => Promise<Attempt<unknown[]>> {
  return () => {
    let listed = run.oidcProviders.get(access.account);
    if (!listed) {
      listed = attempt(errors, scopeOf(access.account, undefined, 'iam', 'oidc-providers'), () => listOidcProviders(run.factory.iam(access, run.homeRegion)));
      run.oidcProviders.set(access.account, listed);
    }
    return listed;
  };
}

export function parseAwsSettings(value: unknown): AwsSettings {
  const parsed = AwsSettings.safeParse(value ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new ConfigError(`aws settings are invalid:\n${issues.join('\n')}`);
  }
  return parsed.data;
}

export function newAwsRun(settings: AwsSettings): AwsRun {
  return {
    settings,
    factory: new ClientFactory(settings, pLimit(settings.concurrency.requests)),
    homeRegion: settings.homeRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    oidcProviders: new Map(),
  };
}

/** Reads ECR, ECS and EKS in one account and region; the newest ECR images become pull targets. */
export async function collectAwsRegion(
  run: AwsRun,
  access: AccountAccess,
  region: string,
  errors: ErrorLog,
  collectedAt: Date,
): Promise<{ assets: Asset[]; images: ImageTarget[] }> {
  const { account } = access;
  const ctx = { collectedAt: collectedAt.toISOString(), source: `aws://${account}/${region}` };
  // Resources read at once in this scope (each one a few requests): twice the run's request slots keeps those
  // busy, where starting every resource at once built and signed all their requests up front (at 20,000
  // resources, hundreds of MB of requests waiting for a slot).
  const reads = pLimit(2 * run.settings.concurrency.requests);
  const base = { account, region, errors, ctx, reads };
  const wants = new Set(run.settings.services);
  const [ecr, ecs, eks] = await Promise.all([
    wants.has('ecr')
      ? errors.guard(scopeOf(account, region, 'ecr'), () =>
          collectEcr({ ...base, client: run.factory.ecr(access, region), imagesPerRepository: run.settings.imagesPerRepository, partition: access.partition }),
        )
      : undefined,
    wants.has('ecs') ? errors.guard(scopeOf(account, region, 'ecs'), () => collectEcs({ ...base, client: run.factory.ecs(access, region) })) : undefined,
    wants.has('eks')
      ? errors.guard(scopeOf(account, region, 'eks'), () =>
          collectEks({ ...base, client: run.factory.eks(access, region), ec2: run.factory.ec2(access, region), oidcProviders: oidcProvidersOf(run, access, errors) }),
        )
      : undefined,
  ]);

  const images: ImageTarget[] = [];
  if (ecr && ecr.images.length > 0) {
    // The CLI pulls through the configured registry endpoint with this account's own ECR token; a sweep's
    // image jobs drop these hints and pull with the worker's role.
    const endpoint = registryEndpoint(run.settings.registryEndpoint, account, region, access.partition, run.settings.useFipsEndpoint);
    const credentials = ecrCredentialProvider(run.factory.ecr(access, region), endpoint.host);
    for (const target of ecr.images) {
      const repository = target.repository.repositoryName ?? '';
      const digest = target.image.imageDigest;
      if (!digest) continue;
      const registryId = target.image.registryId ?? target.repository.registryId ?? account;
      images.push({
        provider: 'aws',
        account: registryId,
        region,
        image: { registry: ecrRegistryHost(registryId, region, access.partition), repository, digest, tag: target.image.imageTags?.[0] ?? null },
        tags: target.repositoryTags,
        raw: { imageDetail: apiJson(target.image) },
        analyzeLayers: run.settings.analyzeLayers,
        scope: scopeOf(account, region, 'ecr', 'repository', repository, 'image', digest),
        pull: { host: endpoint.host, insecure: endpoint.insecure, credentials },
      });
    }
  }
  const assets: Asset[] = [];
  for (const asset of [...(ecr?.registry ? [ecr.registry] : []), ...(ecr?.repositories ?? []), ...(ecs?.clusters ?? []), ...(ecs?.services ?? []), ...(ecs?.workloads ?? []), ...(eks ?? [])]) {
    try {
      assets.push(parseAsset(asset));
    } catch (err) {
      errors.add(asset.source ?? scopeOf(asset.account, asset.region), err);
    }
  }
  return { assets, images };
}

export interface CollectAwsOptions {
  /** The `aws` section of posture.yaml (already parsed), or a partial one to be defaulted here. */
  settings?: AwsSettings | Partial<AwsSettings>;
  /** `--accounts`: replaces `settings.accounts`. */
  accounts?: readonly string[];
  /** `--regions`: replaces `settings.regions`. */
  regions?: readonly string[];
  /** Caller credentials; default: the SDK's default chain (env, profile, SSO, IMDS, task role…). */
  credentials?: AwsCredentials;
  /** Fixed collection time (tests, reproducible reports). */
  now?: Date;
  signal?: AbortSignal;
}

export type AwsCollection = CloudCollection;

/**
 * Every account and region the settings name, images pulled: what `posture scan --aws` runs. Throws only
 * when the caller's own identity cannot be established (nothing else could be read either); every other
 * failure is in `errors`, one entry per scope, and the assets from everywhere else are returned.
 */
export async function collectAws(options: CollectAwsOptions = {}): Promise<AwsCollection> {
  const settings = parseAwsSettings({
    ...options.settings,
    ...(options.accounts ? { accounts: [...options.accounts] } : {}),
    ...(options.regions ? { regions: [...options.regions] } : {}),
  });
  const run = await collectProvider('aws', {
    settings: { aws: settings },
    access: { aws: options.credentials ? { credentials: options.credentials } : {} },
    ...(options.now ? { now: () => options.now as Date } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { assets: run.assets, errors: run.errors };
}
