// What an SBOM describes: each analyzed image of the scan with its package inventory. Shared by the
// CycloneDX and SPDX renderers so both list the same things the same way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageAsset, ImagePackage } from '../core/asset.ts';
import type { ScanResult } from '../core/scan.ts';
import { purl } from '../providers/oci/analyzers/purl.ts';
import { repoRoot } from '../policies/layout.ts';

export const toolName = 'posture';
let version: string | undefined;
/** The tool's own version, from its package.json. */
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

export interface SbomImage {
  asset: ImageAsset;
  /** `registry/repository[:tag]`, as a person names the image. */
  name: string;
  /** pkg:oci purl of the image by digest, with its repository. */
  purl: string;
  packages: ImagePackage[];
}

export function sbomImages(result: ScanResult): SbomImage[] {
  const images: SbomImage[] = [];
  for (const asset of result.assets) {
    if (asset.kind !== 'image') continue;
    const ref = asset.image.reference;
    const repo = ref.repository.slice(ref.repository.lastIndexOf('/') + 1);
    images.push({
      asset,
      name: `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}`,
      purl: purl('oci', undefined, repo || 'image', asset.image.digest, { repository_url: ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository, tag: ref.tag ?? undefined }),
      packages: asset.image.contents?.packages ?? [],
    });
  }
  return images;
}

/** OS packages are those of a distribution's package database. */
export const isOsPackage = (p: ImagePackage): boolean => p.manager === 'dpkg' || p.manager === 'apk' || p.manager === 'rpm';
