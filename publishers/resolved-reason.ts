// Why a ticket closes, in the words every publisher puts on it: the finding was fixed, an exception covers
// it, or its asset is gone from a complete collection of its scope ("no longer present").
import type { FindingRecord } from '../core/state/record.ts';

export function resolvedReason(record: FindingRecord): string {
  if (record.status === 'suppressed' && record.suppression) {
    const s = record.suppression;
    return `Suppressed by exception ${s.exceptionId} (owner ${s.owner}): ${s.reason}`;
  }
  const when = `scan ${record.lastScanId}, ${record.resolvedAt ?? record.lastSeen}`;
  if (record.resolution?.reason === 'no-longer-present') {
    return `The asset ${record.assetId} is no longer present: a complete collection of ${record.resolution.scope ?? 'its scope'} did not find it (${when}).`;
  }
  return `posture no longer detects this finding (${when}).`;
}
