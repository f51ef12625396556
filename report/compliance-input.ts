// What the compliance reports (html, junit, csv, ocsf, asff) take: the scan, its scores, and
// optionally the drift since the previous scan and the exceptions that covered findings.
import type { ScanResult } from '../core/scan.ts';
import type { ComplianceScores } from '../core/scores.ts';
import type { DriftReport } from '../core/drift.ts';
import type { Suppression } from '../core/exceptions.ts';

export interface ComplianceReportInput {
  result: ScanResult;
  scores: ComplianceScores;
  drift?: DriftReport | null;
  /** Fingerprint → the exception that covers it. */
  suppressions?: Readonly<Record<string, Suppression>>;
}

/** Strings that a spreadsheet or XML parser would misread are cleaned at the edge, not in the data. */
export const invalidXmlChars = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Evidence as bounded JSON text: a huge evidence value must not bloat every report. */
export function evidenceText(evidence: unknown, max = 4000): string {
  let text: string;
  try {
    text = JSON.stringify(evidence ?? null, null, 2) ?? 'null';
  } catch {
    text = String(evidence);
  }
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}


export { unjudgedPairs, type UnjudgedPair } from '../core/outcomes.ts';
