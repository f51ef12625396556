// Severity of a vulnerability: the base score computed from its CVSS vectors (v2, v3.0, v3.1, v4.0, by
// ae-cvss-calculator) and the rating a distribution or advisory database gives it itself (Ubuntu priority,
// GitHub's database_specific.severity). A distribution's own rating wins over the generic CVSS score for
// its packages: it already weighs how the package is built and used there.
import * as cvssModule from 'ae-cvss-calculator';
import type { OsvRecord, OsvSeverity } from './osv/record.ts';

// A UMD bundle: Node's ESM loader exposes it as `default`; bundlers and vitest also see the named exports.
const cvssLib = ((cvssModule as unknown as { default?: typeof cvssModule }).default ?? cvssModule) as typeof cvssModule;
const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvssLib;

export const vulnSeverities = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
export type VulnSeverity = (typeof vulnSeverities)[number];

export interface CvssScore {
  version: '2.0' | '3.0' | '3.1' | '4.0';
  vector: string;
  score: number;
}

/** The CVSS v3/v4 qualitative scale (also applied to v2 base scores). */
export function ratingOf(score: number): VulnSeverity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'unknown';
}

export function cvssScore(entry: OsvSeverity): CvssScore | null {
  const vector = entry.score.trim();
  try {
    if (entry.type === 'CVSS_V4' && vector.startsWith('CVSS:4.0/')) {
      const base = new Cvss4P0(vector).calculateScores().overall;
      return typeof base === 'number' ? { version: '4.0', vector, score: base } : null;
    }
    if (entry.type === 'CVSS_V3') {
      const calc = vector.startsWith('CVSS:3.0/') ? new Cvss3P0(vector) : vector.startsWith('CVSS:3.1/') ? new Cvss3P1(vector) : null;
      const base = calc?.calculateScores().base;
      return typeof base === 'number' ? { version: vector.startsWith('CVSS:3.0/') ? '3.0' : '3.1', vector, score: base } : null;
    }
    if (entry.type === 'CVSS_V2') {
      const base = new Cvss2(vector).calculateScores().base;
      return typeof base === 'number' ? { version: '2.0', vector, score: base } : null;
    }
  } catch {
    return null; // a malformed vector is no score, not a crash
  }
  return null;
}

const ubuntuPriority: Record<string, VulnSeverity> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', negligible: 'low' };
const ghsaSeverity: Record<string, VulnSeverity> = { CRITICAL: 'critical', HIGH: 'high', MODERATE: 'medium', MEDIUM: 'medium', LOW: 'low' };

export interface SeverityFacts {
  severity: VulnSeverity;
  /** Where the rating came from: a CVSS version, or the database that rated it. */
  source: string;
  cvss: CvssScore[];
}

/** The record's rating from the vectors on the record and on the matched affected entry. */
export function severityOf(record: Pick<OsvRecord, 'severity' | 'database_specific'>, affectedSeverity: OsvSeverity[] = []): SeverityFacts {
  const entries = [...affectedSeverity, ...(record.severity ?? [])];
  const cvss = entries.map(cvssScore).filter((s): s is CvssScore => s !== null);
  const ubuntu = entries.find((e) => e.type === 'Ubuntu');
  if (ubuntu && ubuntuPriority[ubuntu.score.toLowerCase()]) return { severity: ubuntuPriority[ubuntu.score.toLowerCase()]!, source: 'Ubuntu priority', cvss };
  const ghsa = record.database_specific?.['severity'];
  if (typeof ghsa === 'string' && ghsaSeverity[ghsa.toUpperCase()]) return { severity: ghsaSeverity[ghsa.toUpperCase()]!, source: 'database rating', cvss };
  // Prefer v3.1/v3.0 (what most advisories and policies still state), then v4.0, then v2.
  const order = ['3.1', '3.0', '4.0', '2.0'];
  const best = [...cvss].sort((a, b) => order.indexOf(a.version) - order.indexOf(b.version) || b.score - a.score)[0];
  if (best) return { severity: ratingOf(best.score), source: `CVSS ${best.version}`, cvss };
  return { severity: 'unknown', source: 'none', cvss };
}

export const severityRank: Record<VulnSeverity, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 };
