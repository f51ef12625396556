// The production collectors: images through the OCI registry client with credentials chosen by registry
// host; scopes through the cloud providers; native scan refreshes through ECR. Image assets are placed in
// the account/region the job names, which the registry API itself does not say (residency rules need it).
//
// Fan-out, honestly: a scope job (account × region, subscription, project) collects and evaluates its
// configuration assets itself (clusters, registries, services, task definitions) and fans out only its
// images, one `scan-image` job each. Configuration assets stay in the scope job because
//  - one asset document (an EKS cluster with its node groups and add-ons, an ECS task definition) can
//    approach or exceed SQS's 256 KB message limit, so it cannot travel in a job;
//  - re-reading one asset in its own job would repeat the scope's list calls once per asset;
//  - a scope's configuration is read in seconds, well inside the Lambda timeout.
// Images are the slow, memory-heavy part (layers streamed and analyzed), so each gets its own job and
// its own timeout, and an image seen by many sweeps is pulled once per digest (the job ledger).
// `scan-asset` jobs (one configuration asset per job) therefore have no production collector.
import type { ImageAsset } from '../../core/asset.ts';
import { AwsSettings, AzureSettings, GcpSettings } from '../../core/config.ts';
import type { NativeScanJob, ScanAssetJob, ScanImageJob, ScanScopeJob } from '../../core/jobs.ts';
import { jurisdictionOf } from '../../core/jurisdiction.ts';
import { collectRegistryImage, type CollectOptions } from '../../providers/oci/index.ts';
import { CollectorMissing, type Collected, type Collectors, type Swept } from './collectors.ts';
import { readNativeScan } from './native-scan.ts';
import { ecrClient, ecrRegistryHost, RegistryAccess } from './registry-access.ts';
import type { AwsScopeAccess } from './scope-aws.ts';
import type { AzureScopeAccess } from './scope-azure.ts';
import type { GcpScopeAccess } from './scope-gcp.ts';
import { loadScopeSweeps } from './scope-loader.ts';

type Loose<T extends { settings: unknown }> = Omit<T, 'settings'> & { settings?: T['settings'] | Record<string, unknown> };

export interface ProviderCollectorOptions {
  /** Registry host → host actually spoken to (VPC endpoints, FIPS, loopback stand-ins). */
  registryEndpoints?: Record<string, string>;
  /** Hosts spoken to over plain HTTP (loopback stand-ins only). */
  insecureHosts?: readonly string[];
  image?: Omit<CollectOptions, 'insecureHosts' | 'source' | 'credentialProviders'>;
  /** How each cloud is read: posture.yaml's sections, and credentials/transport overrides (tests). */
  clouds?: { aws?: Loose<AwsScopeAccess>; azure?: Loose<AzureScopeAccess>; gcp?: Loose<GcpScopeAccess> };
  /** Collection time (default: now). */
  now?: () => Date;
}

export function imageReference(job: ScanImageJob, endpoints: Record<string, string> = {}): string {
  const host = endpoints[job.image.registry] ?? job.image.registry;
  const pin = job.image.digest ? `@${job.image.digest}` : `:${job.image.tag}`;
  return `oci://${host}/${job.image.repository}${pin}`;
}

/**
 * The registry says nothing about where it lives; the event does. Fill what the asset left unknown, and
 * name the image by its registry (not by the endpoint it was pulled through), so an ECR image read over
 * a VPC endpoint or a stand-in keeps the same id and findings.
 */
export function placeImage(asset: ImageAsset, job: ScanImageJob, pulledFrom: string): ImageAsset {
  const account = job.account || asset.account;
  const region = job.region || asset.region;
  const logical = job.image.registry;
  const renamed = pulledFrom !== logical && asset.id.startsWith(`oci://${pulledFrom}/`);
  return {
    ...asset,
    ...(renamed
      ? {
          id: `oci://${logical}/${asset.id.slice(`oci://${pulledFrom}/`.length)}`,
          image: { ...asset.image, reference: { ...asset.image.reference, registry: logical } },
        }
      : {}),
    account: account === pulledFrom ? logical : account,
    region,
    jurisdiction: asset.jurisdiction === 'UNKNOWN' && region ? jurisdictionOf(job.cloud, region) : asset.jurisdiction,
  };
}

export function providerCollectors(options: ProviderCollectorOptions = {}): Collectors {
  const aws: AwsScopeAccess = { ...options.clouds?.aws, settings: AwsSettings.parse(options.clouds?.aws?.settings ?? {}) };
  const azure: AzureScopeAccess = { ...options.clouds?.azure, settings: AzureSettings.parse(options.clouds?.azure?.settings ?? {}) };
  const gcp: GcpScopeAccess = { ...options.clouds?.gcp, settings: GcpSettings.parse(options.clouds?.gcp?.settings ?? {}) };
  const insecureHosts = options.insecureHosts ?? [];
  const registries = new RegistryAccess({
    aws: { settings: aws.settings, ...(aws.credentials ? { credentials: aws.credentials } : {}) },
    azure: { settings: azure.settings, ...(azure.credential ? { credential: azure.credential } : {}) },
    google: gcp.authClient ? { authClient: gcp.authClient } : {},
    insecureHosts,
  });
  const now = options.now ?? (() => new Date());

  const pullImage = async (job: ScanImageJob): Promise<ImageAsset[]> => {
    const pulledFrom = options.registryEndpoints?.[job.image.registry] ?? job.image.registry;
    const provider = registries.providerFor(job.image.registry, pulledFrom);
    const assets = await collectRegistryImage(imageReference(job, options.registryEndpoints), {
      ...options.image,
      credentialProviders: provider ? [provider] : [],
      insecureHosts,
      source: `${job.trigger.source}:${job.trigger.eventId}`,
    });
    return assets.map((a) => placeImage(a, job, pulledFrom));
  };

  const refreshNativeScan = async (job: NativeScanJob): Promise<Collected> => {
    if (!job.account || !job.region) throw new Error(`native scan job for ${job.repository}@${job.digest} names no account/region`);
    // The worker's own role reads the scan results, as it reads the image (ECR host → worker credentials).
    const ecr = ecrClient(aws.settings, job.account, job.region, aws.credentials);
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
    const assets = await pullImage(image);
    return { assets: assets.map((a) => ({ ...a, raw: { ...a.raw, nativeScan } })), errors: [] };
  };

  return {
    async sweep(job: ScanScopeJob): Promise<Swept> {
      const { sweepScope } = await loadScopeSweeps();
      return sweepScope(job, { aws, azure, gcp }, now());
    },
    async collect(job: ScanImageJob | ScanAssetJob | NativeScanJob): Promise<Collected> {
      if (job.type === 'scan-image') return { assets: await pullImage(job), errors: [] };
      if (job.type === 'refresh-native-scan') return refreshNativeScan(job);
      throw new CollectorMissing(`no ${job.cloud} collector for ${job.type} jobs: scope jobs evaluate configuration assets in place (see provider-collectors.ts)`);
    },
  };
}
