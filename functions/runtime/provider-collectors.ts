// The production collectors: images through the OCI registry client; scopes and configuration assets
// through the cloud providers. Image assets are placed in the account/region the push came from, which
// the registry API itself does not say (residency rules need the region).
import type { ImageAsset } from '../../core/asset.ts';
import type { NativeScanJob, ScanAssetJob, ScanImageJob, ScanScopeJob, Job } from '../../core/jobs.ts';
import { jurisdictionOf } from '../../core/jurisdiction.ts';
import { collectRegistryImage, type CollectOptions } from '../../providers/oci/index.ts';
import { CollectorMissing, type Collected, type Collectors } from './collectors.ts';

export interface ProviderCollectorOptions {
  /** Registry host → host actually spoken to (VPC endpoints, FIPS, loopback stand-ins). */
  registryEndpoints?: Record<string, string>;
  /** Hosts spoken to over plain HTTP (loopback stand-ins only). */
  insecureHosts?: readonly string[];
  image?: Omit<CollectOptions, 'insecureHosts' | 'source'>;
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
  return {
    async enumerate(job: ScanScopeJob): Promise<Job[]> {
      throw new CollectorMissing(`no ${job.cloud} scope collector is wired into this deployment yet`);
    },
    async collect(job: ScanImageJob | ScanAssetJob | NativeScanJob): Promise<Collected> {
      if (job.type !== 'scan-image') throw new CollectorMissing(`no ${job.cloud} collector for ${job.type} jobs is wired into this deployment yet`);
      const pulledFrom = options.registryEndpoints?.[job.image.registry] ?? job.image.registry;
      const ref = imageReference(job, options.registryEndpoints);
      const assets = await collectRegistryImage(ref, { ...options.image, insecureHosts: options.insecureHosts ?? [], source: `${job.trigger.source}:${job.trigger.eventId}` });
      return { assets: assets.map((a) => placeImage(a, job, pulledFrom)), errors: [] };
    },
  };
}
