// Assembles the image asset from what was read, and validates it: a collector bug surfaces as a named
// schema error instead of a silently thin asset.
import { parseAsset, type ImageAsset, type ImageContents } from '../../core/asset.ts';
import type { ScanErrorEntry } from './errors.ts';
import { normalizeConfig } from './image-config.ts';
import type { ImageConfig, ImageManifest } from './manifest.ts';
import { imageId } from './reference.ts';

export interface AssetParts {
  registry: string;
  repository: string;
  tag: string | null;
  /** The digest that was asked for or resolved first (an index digest for multi-platform images). */
  requestedDigest: string | null;
  manifestDigest: string;
  manifestMediaType: string;
  /** null when the manifest could not be read or parsed (then `scanErrors` says why). */
  manifest: ImageManifest | null;
  /** The index entry's platform, used when the config does not say (or could not be read). */
  descriptorPlatform?: { os: string; architecture: string; variant?: string | undefined } | undefined;
  rawManifest: unknown;
  config: ImageConfig | null;
  rawConfig: unknown;
  rawIndex?: unknown;
  contents: ImageContents | null;
  scanErrors: ScanErrorEntry[];
  source?: string;
  collectedAt: Date;
}

export function buildImageAsset(p: AssetParts): ImageAsset {
  const config = p.config;
  const emptyConfig = normalizeConfig({});
  const raw: Record<string, unknown> = { manifest: p.rawManifest, config: p.rawConfig };
  if (p.rawIndex !== undefined) raw.index = p.rawIndex;
  const candidate: ImageAsset = {
    id: imageId(p.registry, p.repository, p.manifestDigest),
    kind: 'image',
    provider: 'oci',
    account: p.registry,
    region: '',
    jurisdiction: 'UNKNOWN',
    tags: {},
    collectedAt: p.collectedAt.toISOString(),
    ...(p.source ? { source: p.source } : {}),
    rawForm: 'oci',
    raw,
    image: {
      reference: { registry: p.registry, repository: p.repository, tag: p.tag, digest: p.requestedDigest },
      digest: p.manifestDigest,
      mediaType: p.manifestMediaType,
      platform: {
        os: config?.os ?? p.descriptorPlatform?.os ?? '',
        architecture: config?.architecture ?? p.descriptorPlatform?.architecture ?? '',
        variant: config?.variant ?? p.descriptorPlatform?.variant ?? null,
      },
      config: config ? normalizeConfig(config) : emptyConfig,
      layers: (p.manifest?.layers ?? []).map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
      contents: p.contents,
      scanErrors: p.scanErrors,
    },
  };
  return parseAsset(candidate) as ImageAsset;
}
