// From a source to image assets: resolve the manifest (choosing platforms from an index), read the
// config, stream the layers through the analyzers. Anything that goes wrong after the image is
// identified becomes a scan error on its asset, so a broken image is reported, never passed.
import type { ImageAsset } from '../../core/asset.ts';
import { analyzeLayers } from './analysis/analyze-layers.ts';
import { ScanErrorLog } from './analysis/scan-error-log.ts';
import { buildImageAsset, type AssetParts } from './build-asset.ts';
import { ImageScanError, RegistryError, toScanError } from './errors.ts';
import type { FetchedManifest, ImageSource } from './image-source.ts';
import { resolveLimits, type Limits } from './limits.ts';
import { parseImageConfig, parseManifestDocument, type Descriptor, type ImageConfig, type ManifestDocument } from './manifest.ts';
import type { CollectOptions } from './options.ts';
import { parsePlatform, selectPlatforms } from './platform.ts';

interface Context {
  source: ImageSource;
  limits: Limits;
  options: CollectOptions;
  collectedAt: Date;
}

export async function collectFromSource(source: ImageSource, options: CollectOptions = {}): Promise<ImageAsset[]> {
  const ctx: Context = { source, limits: resolveLimits(options.limits), options, collectedAt: options.now ?? new Date() };
  const wanted = parsePlatform(options.platform ?? 'linux/amd64');
  const where = `${source.registry}/${source.repository}${source.digest ? `@${source.digest}` : `:${source.tag}`}`;
  let root: FetchedManifest;
  try {
    root = await source.rootManifest(ctx.limits.maxManifestBytes);
  } catch (err) {
    // Transport and auth failures leave nothing to identify; only a hostile manifest gets an asset.
    if (err instanceof RegistryError || !(err instanceof ImageScanError) || !source.digest) throw err;
    return [failedAsset(ctx, source.digest, null, [toScanError(err)])];
  }
  let doc: ManifestDocument;
  try {
    doc = parseManifestDocument(root.bytes, root.mediaType, where);
  } catch (err) {
    return [failedAsset(ctx, root.digest, null, [toScanError(err)])];
  }
  if (doc.kind === 'manifest') return [await collectManifest(ctx, doc, root.digest, root.digest, undefined, undefined)];
  let chosen: Descriptor[];
  try {
    chosen = selectPlatforms(doc.index.manifests, wanted, options.allPlatforms ?? false, where);
  } catch (err) {
    return [failedAsset(ctx, root.digest, null, [toScanError(err)], doc.raw)];
  }
  const assets: ImageAsset[] = [];
  for (const descriptor of chosen) {
    try {
      const child = await source.manifest(descriptor, ctx.limits.maxManifestBytes);
      const childDoc = parseManifestDocument(child.bytes, child.mediaType ?? descriptor.mediaType, `${where} (${descriptor.digest})`);
      if (childDoc.kind !== 'manifest') throw new ImageScanError('manifest-invalid', `${where}: index entry ${descriptor.digest} is itself an index; nested indexes are not followed`);
      assets.push(await collectManifest(ctx, childDoc, child.digest, root.digest, doc.raw, descriptor));
    } catch (err) {
      if (err instanceof RegistryError && err.status !== 404) throw err;
      assets.push(failedAsset(ctx, descriptor.digest, descriptor, [toScanError(err)], doc.raw));
    }
  }
  return assets;
}

async function collectManifest(
  ctx: Context,
  doc: Extract<ManifestDocument, { kind: 'manifest' }>,
  digest: string,
  requestedDigest: string,
  rawIndex: unknown,
  descriptor: Descriptor | undefined,
): Promise<ImageAsset> {
  const { source, limits, options } = ctx;
  const errors = new ScanErrorLog();
  const manifest = doc.manifest;
  const what = `${source.registry}/${source.repository}@${digest}`;
  let config: ImageConfig | null = null;
  let rawConfig: unknown = null;
  try {
    const bytes = await source.blob(manifest.config, limits.maxManifestBytes);
    ({ config, raw: rawConfig } = parseImageConfig(bytes, `${what} config ${manifest.config.digest}`));
  } catch (err) {
    if (err instanceof RegistryError && err.status !== 404) throw err;
    const e = toScanError(err, 'config-invalid');
    errors.add(e.code, e.message);
  }
  let contents: AssetParts['contents'] = null;
  if (options.analyzeLayers !== false) {
    if (manifest.layers.length > limits.maxLayers) {
      errors.add('too-many-layers', `${what}: ${manifest.layers.length} layers, over the ${limits.maxLayers}-layer limit; layers not analyzed`);
    } else {
      const layers = manifest.layers.map((d) => ({ digest: d.digest, mediaType: d.mediaType, size: d.size, open: (signal?: AbortSignal) => source.openBlob(d, signal) }));
      contents = await analyzeLayers(layers, limits, errors, options.signal);
    }
  }
  return buildImageAsset({
    registry: source.registry,
    repository: source.repository,
    tag: source.tag,
    requestedDigest,
    manifestDigest: digest,
    manifestMediaType: doc.mediaType,
    manifest,
    rawManifest: doc.raw,
    config,
    rawConfig,
    ...(rawIndex !== undefined ? { rawIndex } : {}),
    descriptorPlatform: descriptor?.platform,
    contents,
    scanErrors: errors.list(),
    ...(options.source ? { source: options.source } : {}),
    collectedAt: ctx.collectedAt,
  });
}

/** An asset for an image we could identify but not read: no contents, and the reason as a scan error. */
function failedAsset(ctx: Context, digest: string, descriptor: Descriptor | null, scanErrors: AssetParts['scanErrors'], rawIndex?: unknown): ImageAsset {
  const { source } = ctx;
  return buildImageAsset({
    registry: source.registry,
    repository: source.repository,
    tag: source.tag,
    requestedDigest: source.digest ?? digest,
    manifestDigest: digest,
    manifestMediaType: descriptor?.mediaType ?? '',
    manifest: null,
    rawManifest: null,
    config: null,
    rawConfig: null,
    ...(rawIndex !== undefined ? { rawIndex } : {}),
    descriptorPlatform: descriptor?.platform,
    contents: null,
    scanErrors,
    ...(ctx.options.source ? { source: ctx.options.source } : {}),
    collectedAt: ctx.collectedAt,
  });
}
