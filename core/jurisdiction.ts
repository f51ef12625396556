// Region → jurisdiction, from the same table the residency rules read (policies/data/regions.json).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { policiesDir } from '../policies/layout.ts';
import type { Provider } from './asset.ts';

const RegionTable = z.object({
  regions: z.object({ aws: z.record(z.string(), z.string()), azure: z.record(z.string(), z.string()), gcp: z.record(z.string(), z.string()) }),
});

let table: z.infer<typeof RegionTable>['regions'] | undefined;

function regions() {
  table ??= RegionTable.parse(JSON.parse(readFileSync(path.join(policiesDir, 'data', 'regions.json'), 'utf8'))).regions;
  return table;
}

/** GCP zones (europe-west1-b) belong to their region. */
export function gcpRegionOf(location: string): string {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location) ? location.replace(/-[a-z]$/, '') : location;
}

export function jurisdictionOf(provider: Provider, region: string): string {
  // Images and in-cluster Kubernetes objects carry no cloud region of their own.
  if (provider === 'oci' || provider === 'kubernetes' || !region) return 'UNKNOWN';
  const key = provider === 'gcp' ? gcpRegionOf(region.toLowerCase()) : region.toLowerCase();
  return regions()[provider][key] ?? 'UNKNOWN';
}
