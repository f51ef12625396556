// The production collectors behind the worker, over the one orchestration the CLI also runs
// (providers/orchestrate.ts): scope jobs collect through the providers' scope collectors, image jobs pull
// with credentials chosen by registry host, native scan refreshes read ECR. Image assets are placed in the
// account/region the job names, which the registry API itself does not say (residency rules need it).
//
// Fan-out, honestly: a scope job (account × region, subscription, project, cluster) collects and evaluates its
// configuration assets itself (clusters, registries, services, task definitions, Kubernetes objects) and fans
// out only its images, one `scan-image` job each, and the scopes found inside it (clusters), one `scan-scope`
// job each. Configuration assets stay in the scope job because
//  - one asset document (an EKS cluster with its node groups and add-ons, an ECS task definition) can
//    approach or exceed SQS's 256 KB message limit, so it cannot travel in a job;
//  - re-reading one asset in its own job would repeat the scope's list calls once per asset;
//  - a scope's configuration is read in seconds, well inside the Lambda timeout.
// Images are the slow, memory-heavy part (layers streamed and analyzed), so each gets its own job and
// its own timeout, and an image seen by many sweeps is pulled once per digest (the job ledger).
// `scan-asset` jobs (one configuration asset per job) therefore have no production collector.
import type { NativeScanJob, ScanAssetJob, ScanImageJob, ScanScopeJob } from '../../core/jobs.ts';
import { ecrRegistryHost } from '../../providers/aws/ecr-host.ts';
import { ecrClient } from '../../providers/aws/pull.ts';
import type { AwsAccess } from '../../providers/aws/provider.ts';
import type { AwsSettings } from '../../providers/aws/settings.ts';
import type { CollectOptions } from '../../providers/oci/index.ts';
import { Orchestration, type OrchestrationOptions } from '../../providers/orchestrate.ts';
import type { ImageTarget } from '../../providers/provider.ts';
import type { AccessMap, DeploymentMap, SettingsMap } from '../../providers/registry.ts';
import { CollectorMissing, type Collected, type Collectors, type Swept } from './collectors.ts';
import type { ImageAsset } from '../../core/asset.ts';
import type { Logger } from 'pino';
import type { InventoryCache } from './inventory-cache.ts';
import { readNativeScan } from './native-scan.ts';
import { loadScopeSweeps } from './scope-loader.ts';

export interface ProviderCollectorOptions {
  /** posture.yaml's provider sections (how each provider is read). */
  settings?: SettingsMap;
  /** The deployment's scopes (POSTURE_SCOPES): the role to assume per AWS account, which clusters to enter. */
  deployment?: DeploymentMap;
  /** Credential and transport overrides per provider (tests). */
  access?: AccessMap;
  /** Registry host → host actually spoken to (VPC endpoints, FIPS, loopback stand-ins). */
  registryEndpoints?: Record<string, string>;
  /** Hosts spoken to over plain HTTP (loopback stand-ins only). */
  insecureHosts?: readonly string[];
  image?: Omit<CollectOptions, 'insecureHosts' | 'source' | 'credentialProviders' | 'now' | 'signal'>;
  /** Collection time (default: now). */
  now?: () => Date;
  /** Analysed inventories by digest, so a native scan result re-evaluates an image without re-analysing it. */
  inventory?: InventoryCache;
  log?: Logger;
}

export function imageReference(job: ScanImageJob, endpoints: Record<string, string> = {}): string {
  const host = endpoints[job.image.registry] ?? job.image.registry;
  const pin = job.image.digest ? `@${job.image.digest}` : `:${job.image.tag}`;
  return `oci://${host}/${job.image.repository}${pin}`;
}

/** An image job as the orchestration's pull target. */
export function targetOf(job: ScanImageJob): ImageTarget {
  return { provider: job.cloud, account: job.account, region: job.region, image: job.image, scope: `${job.cloud}/image/${job.image.registry}/${job.image.repository}` };
}

export function orchestrationOptions(options: ProviderCollectorOptions): OrchestrationOptions {
  return {
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.deployment ? { deployment: options.deployment } : {}),
    ...(options.access ? { access: options.access } : {}),
    images: {
      ...(options.registryEndpoints ? { endpoints: options.registryEndpoints } : {}),
      insecureHosts: options.insecureHosts ?? [],
      ...(options.image ? { options: options.image } : {}),
    },
    ...(options.now ? { now: options.now } : {}),
  };
}

export function providerCollectors(options: ProviderCollectorOptions = {}): Collectors {
  // The image path: pull credentials only. Scope collectors live in the second bundle (scope-loader.ts).
  const run = new Orchestration(orchestrationOptions(options));

  const pullImage = (job: ScanImageJob, signal?: AbortSignal, analyzeLayers?: boolean) =>
    run.pullImage({ ...targetOf(job), ...(analyzeLayers === false ? { analyzeLayers } : {}) }, `${job.trigger.source}:${job.trigger.eventId}`, signal);

  /** Pulls and analyses the image, keeping what the analysis produced for later events about it. */
  const analyse = async (job: ScanImageJob, signal?: AbortSignal): Promise<ImageAsset[]> => {
    const assets = await pullImage(job, signal);
    // An image cut short by the deadline is not kept: the redelivery analyses it whole.
    if (options.inventory && !signal?.aborted) {
      for (const a of assets) {
        // A cache that cannot be written costs a later re-analysis, never this scan.
        await options.inventory.put(a).catch((err: unknown) => options.log?.warn({ err, digest: a.image.digest }, 'analysed inventory not kept'));
      }
    }
    return assets;
  };

  /**
   * The image as analysed before (contents from the inventory cache, config and manifest read afresh),
   * or analysed now when no inventory is kept for its digest.
   */
  const reuseOrAnalyse = async (job: ScanImageJob, signal?: AbortSignal): Promise<{ assets: ImageAsset[]; inventory: 'cached' | 'analysed' }> => {
    const digest = job.image.digest;
    const cached = digest && options.inventory ? await options.inventory.get(digest).catch((err: unknown) => (options.log?.warn({ err, digest }, 'inventory cache unreadable'), null)) : null;
    if (!cached) return { assets: await analyse(job, signal), inventory: 'analysed' };
    const assets = await pullImage(job, signal, false);
    return {
      assets: assets.map((a) => (a.image.digest === cached.digest ? { ...a, image: { ...a.image, contents: cached.contents, scanErrors: [...a.image.scanErrors, ...cached.scanErrors] } } : a)),
      inventory: 'cached',
    };
  };

  const refreshNativeScan = async (job: NativeScanJob, signal?: AbortSignal): Promise<Collected> => {
    if (!job.account || !job.region) throw new Error(`native scan job for ${job.repository}@${job.digest} names no account/region`);
    // The worker's own role reads the scan results, as it reads the image (ECR host → worker credentials).
    const aws = run.settingsOf('aws') as AwsSettings;
    const ecr = ecrClient(aws, job.account, job.region, (options.access?.aws as AwsAccess | undefined)?.credentials);
    const nativeScan = await readNativeScan(ecr, job);
    const image: ScanImageJob = {
      v: 1,
      type: 'scan-image',
      cloud: 'aws',
      account: job.account,
      region: job.region,
      trigger: job.trigger,
      image: { registry: ecrRegistryHost(job.account, job.region), repository: job.repository, digest: job.digest, tag: null },
    };
    const { assets, inventory } = await reuseOrAnalyse(image, signal);
    // The worker matches the image and then folds these into its matches (detectedBy); the rest are REG-002's.
    // The pull already read the registry's scanner (Inspector's ListFindings under enhanced scanning): its
    // findings are kept when it reported; otherwise DescribeImageScanFindings' own list stands in.
    const { native, ...summary } = nativeScan;
    const fromPull = (a: ImageAsset) => ((a.raw.nativeScan as { status?: unknown } | undefined)?.status === 'reported' ? a.image.nativeVulnerabilities : undefined);
    return { assets: assets.map((a) => ({ ...a, raw: { ...a.raw, nativeScan: { ...summary, inventory } }, image: { ...a.image, nativeVulnerabilities: fromPull(a) ?? native } })), errors: [] };
  };

  let sweeper: Promise<{ sweep(job: ScanScopeJob): Promise<Swept> }> | undefined;
  return {
    async sweep(job: ScanScopeJob): Promise<Swept> {
      sweeper ??= loadScopeSweeps().then((m) => m.createScopeSweeper(orchestrationOptions(options)));
      return (await sweeper).sweep(job);
    },
    async collect(job: ScanImageJob | ScanAssetJob | NativeScanJob, signal?: AbortSignal): Promise<Collected> {
      if (job.type === 'scan-image') return { assets: await analyse(job, signal), errors: [] };
      if (job.type === 'refresh-native-scan') return refreshNativeScan(job, signal);
      throw new CollectorMissing(`no ${job.cloud} collector for ${job.type} jobs: scope jobs evaluate configuration assets in place (see provider-collectors.ts)`);
    },
  };
}
