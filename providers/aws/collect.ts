// `posture scan --aws`: every configured account × region × service, read through the real SDK
// clients with bounded concurrency. A scope that fails (AccessDenied, a region the account has not
// enabled, a throttled call that never recovered) is recorded as a collection error; the rest goes on.
import pLimit from 'p-limit';
import { parseAsset, type Asset } from '../../core/asset.ts';
import { AwsSettings, ConfigError } from '../../core/config.ts';
import { resolveAccounts } from './accounts.ts';
import { ClientFactory, type AccountAccess, type AwsCredentials } from './clients.ts';
import { ecrCredentialProvider } from './ecr-credentials.ts';
import { collectEcrImage, registryEndpoint } from './ecr-images.ts';
import { collectEcr } from './ecr.ts';
import { collectEcs } from './ecs.ts';
import { collectEks } from './eks.ts';
import { enabledRegions } from './regions.ts';
import { ErrorLog, scopeOf, type CollectionError } from './scope.ts';

export type { CollectionError } from './scope.ts';

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

export interface AwsCollection {
  assets: Asset[];
  errors: CollectionError[];
}

interface Run {
  settings: AwsSettings;
  factory: ClientFactory;
  errors: ErrorLog;
  collectedAt: Date;
  homeRegion: string;
  images: ReturnType<typeof pLimit>;
  signal: AbortSignal | undefined;
}

async function collectRegion(run: Run, access: AccountAccess, region: string): Promise<Asset[]> {
  const { account } = access;
  const ctx = { collectedAt: run.collectedAt.toISOString(), source: `aws://${account}/${region}` };
  const base = { account, region, errors: run.errors, ctx };
  const wants = new Set(run.settings.services);
  const [ecr, ecs, eks] = await Promise.all([
    wants.has('ecr')
      ? run.errors.guard(scopeOf(account, region, 'ecr'), () => collectEcr({ ...base, client: run.factory.ecr(access, region), imagesPerRepository: run.settings.imagesPerRepository }))
      : undefined,
    wants.has('ecs') ? run.errors.guard(scopeOf(account, region, 'ecs'), () => collectEcs({ ...base, client: run.factory.ecs(access, region) })) : undefined,
    wants.has('eks') ? run.errors.guard(scopeOf(account, region, 'eks'), () => collectEks({ ...base, client: run.factory.eks(access, region) })) : undefined,
  ]);

  const images: Asset[] = [];
  if (ecr && ecr.images.length > 0) {
    const endpoint = registryEndpoint(run.settings.registryEndpoint, account, region, access.partition, run.settings.useFipsEndpoint);
    const credentials = ecrCredentialProvider(run.factory.ecr(access, region), endpoint.host);
    const pulled = await Promise.all(
      ecr.images.map((target) =>
        run.images(() =>
          run.errors.guard(scopeOf(account, region, 'ecr', 'repository', target.repository.repositoryName, 'image', target.image.imageDigest), () =>
            collectEcrImage(target, {
              account,
              region,
              partition: access.partition,
              endpoint,
              credentials,
              analyzeLayers: run.settings.analyzeLayers,
              collectedAt: run.collectedAt,
              ...(run.signal ? { signal: run.signal } : {}),
            }),
          ),
        ),
      ),
    );
    for (const list of pulled) images.push(...(list ?? []));
  }
  return [...(ecr?.repositories ?? []), ...(ecs?.services ?? []), ...(ecs?.workloads ?? []), ...(eks ?? []), ...images];
}

async function regionsFor(run: Run, access: AccountAccess, requested: readonly string[]): Promise<string[]> {
  if (requested.length > 0) return [...new Set(requested)].sort();
  return (await run.errors.guard(scopeOf(access.account, undefined, 'regions'), () => enabledRegions(run.factory, access, run.homeRegion))) ?? [];
}

/**
 * Reads ECR, ECS and EKS in every account and region the settings name. Throws only when the
 * caller's own identity cannot be established (nothing else could be read either); every other
 * failure is in `errors`, one entry per scope, and the assets from everywhere else are returned.
 */
export async function collectAws(options: CollectAwsOptions = {}): Promise<AwsCollection> {
  const parsed = AwsSettings.safeParse({
    ...options.settings,
    ...(options.accounts ? { accounts: [...options.accounts] } : {}),
    ...(options.regions ? { regions: [...options.regions] } : {}),
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new ConfigError(`aws settings are invalid:\n${issues.join('\n')}`);
  }
  const settings = parsed.data;
  const homeRegion = settings.homeRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const run: Run = {
    settings,
    factory: new ClientFactory(settings, pLimit(settings.concurrency.requests)),
    errors: new ErrorLog(),
    collectedAt: options.now ?? new Date(),
    homeRegion,
    images: pLimit(settings.concurrency.scopes),
    signal: options.signal,
  };

  const { accounts } = await resolveAccounts(run.factory, settings, options.credentials, homeRegion, settings.accounts, run.errors);
  const scopes = pLimit(settings.concurrency.scopes);
  const perAccount = await Promise.all(
    accounts.map(async (access) => {
      const regions = await regionsFor(run, access, settings.regions);
      return Promise.all(regions.map((region) => scopes(() => collectRegion(run, access, region))));
    }),
  );

  const assets = new Map<string, Asset>();
  for (const asset of perAccount.flat(2)) {
    try {
      assets.set(asset.id, parseAsset(asset));
    } catch (err) {
      run.errors.add(asset.source ?? scopeOf(asset.account, asset.region), err);
    }
  }
  return { assets: [...assets.values()].sort((a, b) => a.id.localeCompare(b.id)), errors: run.errors.list() };
}
