// ECR images through the OCI client: pinned by the digest DescribeImages reported, fetched from the
// registry endpoint (the public ECR host by default, or a configured VPC endpoint / FIPS host), and
// reported under the canonical ECR host so ids do not change with the transport. ECR's own view
// (tags, push time, native scan status and severity counts) is kept as `raw.imageDetail`.
import type { ImageAsset } from '../../core/asset.ts';
import { jurisdictionOf } from '../../core/jurisdiction.ts';
import { collectRegistryImage } from '../oci/index.ts';
import { imageId } from '../oci/reference.ts';
import { apiJson } from './api-json.ts';
import { fillTemplate } from './clients.ts';
import type { EcrImageTarget } from './ecr.ts';
import type { CredentialProvider } from '../oci/index.ts';

export interface RegistryEndpoint {
  /** Host the registry API is spoken to. */
  host: string;
  /** Plain HTTP (loopback test registries only). */
  insecure: boolean;
}

/** `{account}.dkr.ecr.{region}.amazonaws.com`, or `.com.cn` in the China partition. */
export function ecrRegistryHost(account: string, region: string, partition = 'aws'): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}`;
}

export function registryEndpoint(template: string | undefined, account: string, region: string, partition: string, fips: boolean): RegistryEndpoint {
  if (!template) {
    const host = fips ? `${account}.dkr.ecr-fips.${region}.amazonaws.com` : ecrRegistryHost(account, region, partition);
    return { host, insecure: false };
  }
  const url = new URL(fillTemplate(template, { account, region }));
  return { host: url.host, insecure: url.protocol === 'http:' };
}

export interface EcrImageOptions {
  account: string;
  region: string;
  partition: string;
  endpoint: RegistryEndpoint;
  credentials: CredentialProvider;
  analyzeLayers: boolean;
  collectedAt: Date;
  signal?: AbortSignal;
}

export async function collectEcrImage(target: EcrImageTarget, o: EcrImageOptions): Promise<ImageAsset[]> {
  const repository = target.repository.repositoryName ?? '';
  const digest = target.image.imageDigest;
  if (!digest) throw new Error(`ECR image in ${repository} has no digest`);
  const registryId = target.image.registryId ?? target.repository.registryId ?? o.account;
  const canonical = ecrRegistryHost(registryId, o.region, o.partition);
  const assets = await collectRegistryImage(`oci://${o.endpoint.host}/${repository}@${digest}`, {
    credentialProviders: [o.credentials],
    ...(o.endpoint.insecure ? { insecureHosts: [o.endpoint.host] } : {}),
    analyzeLayers: o.analyzeLayers,
    now: o.collectedAt,
    source: `aws://${registryId}/${o.region}/ecr/repository/${repository}@${digest}`,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  const tag = target.image.imageTags?.[0] ?? null;
  return assets.map((asset) => ({
    ...asset,
    id: imageId(canonical, repository, asset.image.digest),
    provider: 'aws' as const,
    account: registryId,
    region: o.region,
    jurisdiction: jurisdictionOf('aws', o.region),
    tags: target.repositoryTags,
    raw: { ...asset.raw, imageDetail: apiJson(target.image) },
    image: { ...asset.image, reference: { ...asset.image.reference, registry: canonical, repository, tag } },
  }));
}
