// Per-image vulnerability summary for the human reports: counts by severity and how many have a fix.
// The table shows this instead of one row per vulnerability; json, sarif and html keep the details.
import type { Asset } from '../core/asset.ts';

export const summarySeverities = ['critical', 'high', 'medium', 'low', 'unknown'] as const;

export interface VulnSummary {
  status: 'complete' | 'partial' | 'not-evaluated';
  reason: string | null;
  total: number;
  fixable: number;
  bySeverity: Record<(typeof summarySeverities)[number], number>;
  suppressed: number;
}

export function vulnSummaryOf(asset: Asset): VulnSummary | null {
  if (asset.kind !== 'image' || !asset.image.vulnerabilityScan) return null;
  const scan = asset.image.vulnerabilityScan;
  const live = (asset.image.vulnerabilities ?? []).filter((v) => !v.suppressed);
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const v of live) bySeverity[v.severity] += 1;
  return {
    status: scan.status,
    reason: scan.reason,
    total: live.length,
    fixable: live.filter((v) => v.fixAvailable).length,
    bySeverity,
    suppressed: (asset.image.vulnerabilities ?? []).length - live.length,
  };
}

export function describeVulnSummary(s: VulnSummary): string {
  if (s.status === 'not-evaluated') return `vulnerabilities: not evaluated (${s.reason ?? 'no reason given'})`;
  const counts = summarySeverities.filter((k) => s.bySeverity[k] > 0).map((k) => `${s.bySeverity[k]} ${k}`);
  return (
    `vulnerabilities: ${s.total}${counts.length ? ` (${counts.join(', ')})` : ''}, ${s.fixable} fixable` +
    (s.suppressed ? `, ${s.suppressed} suppressed by VEX or exceptions` : '') +
    (s.status === 'partial' ? ` · partial: ${s.reason}` : '')
  );
}
