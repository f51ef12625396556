// Runs the real layer analysis on layers built in memory, for inventory tests that do not need a registry.
import { Readable } from 'node:stream';
import type { ImageContents } from '../../../core/asset.ts';
import { analyzeLayers, type LayerInput } from '../../../providers/oci/analysis/analyze-layers.ts';
import { ScanErrorLog } from '../../../providers/oci/analysis/scan-error-log.ts';
import type { ScanErrorEntry } from '../../../providers/oci/errors.ts';
import { resolveLimits, type Limits } from '../../../providers/oci/limits.ts';
import { buildLayer, type BuiltLayer, type LayerEntry } from './layers.ts';

export interface Analyzed {
  contents: ImageContents;
  errors: ScanErrorEntry[];
  layers: BuiltLayer[];
}

export async function analyzeEntries(layers: readonly (readonly LayerEntry[])[], limits?: Partial<Limits>): Promise<Analyzed> {
  const built = await Promise.all(layers.map((entries) => buildLayer(entries)));
  const inputs: LayerInput[] = built.map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.blob.length, open: async () => Readable.from([l.blob]) }));
  const errors = new ScanErrorLog();
  const contents = await analyzeLayers(inputs, resolveLimits(limits), errors);
  return { contents, errors: errors.list(), layers: built };
}
