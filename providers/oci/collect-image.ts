// From a source to image assets: resolve the manifest (choosing platforms from an index), read the
// config, stream the layers through the analyzers. Anything that goes wrong after the image is
// identified becomes a scan error on its asset, so a broken image is reported, never passed.
// Every step runs under a deadline (manifest, blob, image) and every list an attacker can grow has a
// budget (manifests per index, images per run); a breach is a scan error, i.e. partial coverage.
import type { ImageAsset } from '../../core/asset.ts';
import { analyzeLayers } from './analysis/analyze-layers.ts';
import { ScanErrorLog } from './analysis/scan-error-log.ts';
import { buildImageAsset, type AssetParts } from './build-asset.ts';
import { deadline, withDeadline } from './deadline.ts';
import { ImageScanError, RegistryError, toScanError, type ScanErrorEntry } from './errors.ts';
import type { FetchedManifest, ImageSource } from './image-source.ts';
import { ImageRun, type Analysis } from './image-run.ts';
import { resolveDeadlines, resolveLimits, type Deadlines, type Limits } from './limits.ts';
import { parseImageConfig, parseManifestDocument, type Descriptor, type ImageConfig, type ManifestDocument } from './manifest.ts';
import type { CollectOptions } from './options.ts';
import { parsePlatform, selectPlatforms } from './platform.ts';

interface Context {
  source: ImageSource;
  limits: Limits;
  deadlines: Deadlines;
  options: CollectOptions;
  run: ImageRun;
  collectedAt: Date;
}

/** Scan errors that say something about this pull rather than the image: never reused for another pull. */
const transient = new Set(['timeout', 'aborted', 'registry-unauthorized', 'registry-not-found', 'registry-error']);

export async function collectFromSource(source: ImageSource, options: CollectOptions = {}): Promise<ImageAsset[]> {
  const ctx: Context = {
    source,
    limits: resolveLimits(options.limits),
    deadlines: resolveDeadlines({ manifestMs: options.timeouts?.manifestMs, blobMs: options.timeouts?.blobMs, imageMs: options.timeouts?.imageMs }),
    options,
    run: options.run ?? new ImageRun(),
    collectedAt: options.now ?? new Date(),
  };
  const wanted = parsePlatform(options.platform ?? 'linux/amd64');
  const where = `${source.registry}/${source.repository}${source.digest ? `@${source.digest}` : `:${source.tag}`}`;
  // The image deadline covers resolving the root too; each chosen platform gets a fresh one below.
  const root = deadline(options.signal, ctx.deadlines.imageMs, `image ${where}`);
  let fetched: FetchedManifest;
  try {
    fetched = await withDeadline(root.signal, ctx.deadlines.manifestMs, `manifest ${where}`, (signal) => source.rootManifest(ctx.limits.maxManifestBytes, signal));
  } catch (err) {
    // Transport and auth failures leave nothing to identify; only a hostile manifest gets an asset.
    if (err instanceof RegistryError || !(err instanceof ImageScanError) || !source.digest) throw err;
    return [failedAsset(ctx, source.digest, null, [toScanError(err)])];
  } finally {
    root.done();
  }
  let doc: ManifestDocument;
  try {
    doc = parseManifestDocument(fetched.bytes, fetched.mediaType, where);
  } catch (err) {
    return [failedAsset(ctx, fetched.digest, null, [toScanError(err)])];
  }
  if (doc.kind === 'manifest') return [await collectManifest(ctx, doc, fetched.digest, fetched.digest, undefined, undefined, [])];
  const indexErrors: ScanErrorEntry[] = [];
  let listed = doc.index.manifests;
  if (listed.length > ctx.limits.maxIndexManifests) {
    indexErrors.push({ code: 'index-limit', message: `${where}: the index lists ${listed.length} manifests; only the first ${ctx.limits.maxIndexManifests} were considered` });
    listed = listed.slice(0, ctx.limits.maxIndexManifests);
  }
  let chosen: Descriptor[];
  try {
    chosen = selectPlatforms(listed, wanted, options.allPlatforms ?? false, where);
  } catch (err) {
    return [failedAsset(ctx, fetched.digest, null, [...indexErrors, toScanError(err)], doc.raw)];
  }
  // An index may list one manifest many times; each digest is one image.
  chosen = [...new Map(chosen.map((d) => [d.digest, d])).values()];
  const assets: ImageAsset[] = [];
  for (const descriptor of chosen) {
    const image = deadline(options.signal, ctx.deadlines.imageMs, `image ${where} (${descriptor.digest})`);
    try {
      const child = await withDeadline(image.signal, ctx.deadlines.manifestMs, `manifest ${descriptor.digest}`, (signal) =>
        source.manifest(descriptor, ctx.limits.maxManifestBytes, signal),
      );
      const childDoc = parseManifestDocument(child.bytes, child.mediaType ?? descriptor.mediaType, `${where} (${descriptor.digest})`);
      if (childDoc.kind !== 'manifest') throw new ImageScanError('manifest-invalid', `${where}: index entry ${descriptor.digest} is itself an index; nested indexes are not followed`);
      assets.push(await collectManifest(ctx, childDoc, child.digest, fetched.digest, doc.raw, descriptor, indexErrors, image.signal));
    } catch (err) {
      if (err instanceof RegistryError && err.status !== 404) throw err;
      assets.push(failedAsset(ctx, descriptor.digest, descriptor, [...indexErrors, toScanError(err)], doc.raw));
    } finally {
      image.done();
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
  inherited: readonly ScanErrorEntry[],
  parent?: AbortSignal,
): Promise<ImageAsset> {
  const { source, options } = ctx;
  const parts = {
    registry: source.registry,
    repository: source.repository,
    tag: source.tag,
    requestedDigest,
    manifestDigest: digest,
    manifestMediaType: doc.mediaType,
    manifest: doc.manifest,
    rawManifest: doc.raw,
    ...(rawIndex !== undefined ? { rawIndex } : {}),
    descriptorPlatform: descriptor?.platform,
    ...(options.source ? { source: options.source } : {}),
    collectedAt: ctx.collectedAt,
  };
  const pending = ctx.run.analysis(digest, () => analyse(ctx, doc, digest, parent));
  if (!pending) {
    const budget: ScanErrorEntry = { code: 'image-limit', message: `${source.registry}/${source.repository}@${digest}: not analyzed; this run already analyzed its limit of ${ctx.run.maxImages} images` };
    return buildImageAsset({ ...parts, config: null, rawConfig: null, contents: null, scanErrors: [...inherited, budget] });
  }
  const analysis = await pending;
  if (analysis.scanErrors.some((e) => transient.has(e.code))) ctx.run.forget(digest);
  return buildImageAsset({ ...parts, config: analysis.config, rawConfig: analysis.rawConfig, contents: analysis.contents, scanErrors: [...inherited, ...analysis.scanErrors] });
}

/** Reads one image's config and layers under its own deadline (unless an enclosing one was given). */
async function analyse(ctx: Context, doc: Extract<ManifestDocument, { kind: 'manifest' }>, digest: string, parent?: AbortSignal): Promise<Analysis> {
  const { source, limits, options } = ctx;
  const what = `${source.registry}/${source.repository}@${digest}`;
  const image = parent ? null : deadline(options.signal, ctx.deadlines.imageMs, `image ${what}`);
  const signal = parent ?? image!.signal;
  try {
    const errors = new ScanErrorLog();
    const manifest = doc.manifest;
    let config: ImageConfig | null = null;
    let rawConfig: unknown = null;
    try {
      const bytes = await withDeadline(signal, ctx.deadlines.manifestMs, `config ${manifest.config.digest}`, (s) => source.blob(manifest.config, limits.maxManifestBytes, s));
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
        const layers = manifest.layers.map((d) => ({ digest: d.digest, mediaType: d.mediaType, size: d.size, open: (s?: AbortSignal) => source.openBlob(d, s) }));
        contents = await analyzeLayers(layers, limits, errors, { signal, blobMs: ctx.deadlines.blobMs });
      }
    }
    return { config, rawConfig, contents, scanErrors: errors.list() };
  } finally {
    image?.done();
  }
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
