// `--format ocsf`: the scan's findings as OCSF Compliance Findings (class 2003), one JSON array.
// The mapping itself is the publishers' (publishers/ocsf.ts), so a webhook event and a report
// line for the same finding are the same document.
import type { Finding } from '../core/finding.ts';
import type { FindingRecord } from '../core/state/record.ts';
import { ocsfComplianceFinding } from '../publishers/ocsf.ts';
import type { ComplianceReportInput } from './compliance-input.ts';

/** A stateless scan's view of a finding as a lifecycle record: first seen now, open unless excepted. */
export function recordOf(input: ComplianceReportInput, f: Finding): FindingRecord {
  const suppression = input.suppressions?.[f.fingerprint] ?? null;
  return {
    fingerprint: f.fingerprint,
    assetId: f.assetId,
    ruleId: f.ruleId,
    status: suppression ? 'suppressed' : 'open',
    suppression,
    firstSeen: input.result.startedAt,
    lastSeen: input.result.finishedAt,
    resolvedAt: null,
    resolution: null,
    lastScanId: input.result.scanId,
    evidenceHash: f.evidenceHash,
    tickets: {},
    finding: f,
    version: 1,
  };
}

export function renderOcsf(input: ComplianceReportInput): string {
  const time = Date.parse(input.result.finishedAt);
  return JSON.stringify(input.result.findings.map((f) => ocsfComplianceFinding(recordOf(input, f), 'create', time)), null, 2);
}
