// A real scan of the sample estate (AWS, Azure, GCP exports) through the Wasm engine, for report tests.
import path from 'node:path';
import { parseConfig } from '../../core/config.ts';
import { scanAssets, type ScanResult } from '../../core/scan.ts';
import { Engine } from '../../policies/engine.ts';
import { collectLocal } from '../../providers/local/collect.ts';

export const fixedNow = new Date('2025-06-01T12:00:00Z');

export async function sampleScan(dirs: string[] = ['aws', 'azure', 'gcp']): Promise<ScanResult> {
  const engine = await Engine.load({ config: parseConfig({}), now: fixedNow });
  const local = await collectLocal(dirs.map((d) => path.resolve('samples', d)), { now: fixedNow });
  if (local.errors.length) throw new Error(`sample estate did not load: ${local.errors.map((e) => e.message).join('; ')}`);
  return scanAssets(engine, local.assets, [], fixedNow);
}
