// An image whose content could not be read whole (a blob failed its digest, a layer format or budget
// stopped the analyzer, a deadline passed) is an input that could not be read: the run reports it as an
// error (exit 3) besides the IMG-014 finding on the image. Entries refused as hostile (`..`, escaping
// links) are findings, not read failures: the rest of the layer was read.
import type { Asset } from '../core/asset.ts';
import type { ScanError } from '../core/scan.ts';
import { readFailureCodes } from '../providers/oci/errors.ts';

export function incompleteImageErrors(assets: readonly Asset[]): ScanError[] {
  const errors: ScanError[] = [];
  for (const asset of assets) {
    if (asset.kind !== 'image') continue;
    const failures = asset.image.scanErrors.filter((e) => readFailureCodes.has(e.code));
    if (failures.length === 0) continue;
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more: ${[...new Set(failures.slice(1).map((f) => f.code))].join(', ')})` : '';
    errors.push({ source: asset.id, message: `${asset.id}: image not analyzed completely: ${failures[0]!.code}: ${failures[0]!.message}${more}` });
  }
  return errors;
}
