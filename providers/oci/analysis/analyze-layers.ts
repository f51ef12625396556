// Analyzes an image's layers in order and runs the filesystem analyzers on the result. Failures are
// recorded, not thrown: a broken layer is skipped (its problem listed), a budget breach or an abort
// stops the walk, and whatever was learned is still returned with the reasons it is incomplete.
import type { Readable } from 'node:stream';
import type { ImageContents } from '../../../core/asset.ts';
import { createContentScanners, filesystemAnalyzers, packageAnalyzers, type FinalFilesystem } from '../analyzers/index.ts';
import { ImageScanError, toScanError, type ScanErrorCode } from '../errors.ts';
import { abortReason, deadline } from '../deadline.ts';
import type { Limits } from '../limits.ts';
import { readableLayerTypes } from '../manifest.ts';
import { FilesystemTree } from './fs-tree.ts';
import { PackageFileCollector } from './package-files.ts';
import { TempSpace } from './temp-space.ts';
import type { ScanErrorLog } from './scan-error-log.ts';
import { walkLayer, type WalkState } from './walk-layer.ts';

export interface LayerInput {
  digest: string;
  mediaType: string;
  size: number;
  /** Opens the compressed blob, wrapped in its digest and size check. */
  open(signal?: AbortSignal): Promise<Readable>;
}

/** Problems after which reading further layers is pointless or unsafe. */
const fatal = new Set<ScanErrorCode>(['uncompressed-limit', 'file-limit', 'aborted', 'timeout']);

export function emptyContents(): ImageContents {
  return { os: null, packages: [], users: [], setuidFiles: [], worldWritable: [], secrets: [], shells: [], packageManagers: [], fileCount: 0, uncompressedBytes: 0 };
}

export interface LayerTiming {
  /** The image's signal (its own deadline, or the caller's). */
  signal?: AbortSignal | undefined;
  /** Deadline for each layer: download and analysis together (ms). */
  blobMs?: number;
}

export async function analyzeLayers(layers: readonly LayerInput[], limits: Limits, errors: ScanErrorLog, timing: LayerTiming = {}): Promise<ImageContents> {
  const temp = new TempSpace(limits.maxTempBytes, limits.spoolFileBytes);
  try {
    return await walkLayers(layers, limits, errors, timing, temp);
  } finally {
    temp.dispose();
  }
}

async function walkLayers(layers: readonly LayerInput[], limits: Limits, errors: ScanErrorLog, timing: LayerTiming, temp: TempSpace): Promise<ImageContents> {
  const state: WalkState = {
    tree: new FilesystemTree({ maxNodes: limits.maxTreeNodes, maxPathBytes: limits.maxTreePathBytes }),
    captured: new Map(),
    capturedBytes: 0,
    budget: { used: 0, limit: limits.maxUncompressedBytes },
    files: 0,
    treeFull: false,
    limits,
    errors,
    contents: emptyContents(),
    analyzers: filesystemAnalyzers,
    scanners: createContentScanners(limits),
    packages: new PackageFileCollector(packageAnalyzers, errors, limits.maxPackageFileBytes, temp),
    temp,
    pending: null,
  };
  for (const [index, layer] of layers.entries()) {
    const what = `layer ${index} (${layer.digest})`;
    if (!readableLayerTypes.has(layer.mediaType)) {
      errors.add('unsupported-media-type', `${what}: media type "${layer.mediaType}" is not a tar layer we can read; layer not analyzed`);
      continue;
    }
    let stream: Readable | null = null;
    const limit = deadline(timing.signal, timing.blobMs ?? Number.MAX_SAFE_INTEGER, what);
    try {
      stream = await layer.open(limit.signal);
      await walkLayer(stream, index, what, state, limit.signal);
    } catch (caught) {
      stream?.destroy();
      // A file the layer was cut short in the middle of is removed now, not at the end of the image.
      temp.dispose();
      const err = abortReason(caught, limit.signal);
      const entry = toScanError(err, 'layer-corrupt');
      errors.add(entry.code, err instanceof ImageScanError ? entry.message : `${what}: ${entry.message}`);
      // A layer that ran out its own deadline leaves time for the next; the image's deadline stops everything.
      const ownDeadline = entry.code === 'timeout' && !timing.signal?.aborted;
      if (fatal.has(entry.code) && !ownDeadline) break;
    } finally {
      limit.done();
    }
  }
  return finish(state, layers.map((l) => l.digest));
}

function finish(state: WalkState, layerDigests: readonly string[]): ImageContents {
  const { tree, captured, contents } = state;
  // The tree takes paths relative to the root; analyzers use absolute ones.
  const relative = (path: string): string => path.split('/').filter(Boolean).join('/');
  // Captured content counts only if the final filesystem still has that file from the same layer.
  const current = (path: string): Buffer | null => {
    const c = captured.get(path);
    if (!c) return null;
    const meta = tree.get(relative(path));
    return meta?.type === 'file' && meta.layer === c.layer ? c.content : null;
  };
  const fs: FinalFilesystem = {
    entries: (keep) => tree.entries(keep),
    list: (dir) => tree.children(relative(dir)),
    get: (path) => tree.get(relative(path)),
    content: current,
    *contents(match) {
      for (const path of captured.keys()) {
        const content = match(path) ? current(path) : null;
        if (content) yield [path, content];
      }
    },
  };
  for (const analyzer of state.analyzers) analyzer.analyze(fs, contents, state.errors);
  contents.packages.push(...state.packages.finish(fs.get, contents.os, layerDigests));
  for (const secret of contents.secrets) {
    const meta = tree.get(relative(secret.path));
    secret.inFinalFilesystem = meta?.type === 'file' && meta.layer === secret.layer;
  }
  contents.fileCount = tree.count((meta) => meta.type !== 'dir');
  contents.uncompressedBytes = state.budget.used;
  return contents;
}
