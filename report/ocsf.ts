// `--format ocsf`: the scan's findings as OCSF Compliance Findings (class 2003), one JSON array.
// The mapping itself is the publishers' (publishers/ocsf.ts), so a webhook event and a report
// line for the same finding are the same document.
import { fingerprintOf, type Finding } from '../core/finding.ts';
import { unjudgedPairs } from '../core/outcomes.ts';
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

/**
 * A (rule, asset) pair that could not be judged, as a finding-shaped value for the compliance formats:
 * no verdict, the reason as the message, a fingerprint of its own (the pair plus the outcome).
 */
export function unjudgedFindings(input: ComplianceReportInput): { finding: Finding; outcome: 'not-evaluated' | 'manual'; reason: string }[] {
  const assets = new Map(input.result.assets.map((a) => [a.id, a]));
  const rules = new Map(input.result.rules.map((r) => [r.id, r]));
  return unjudgedPairs(input.result).flatMap((p) => {
    const a = assets.get(p.assetId);
    const r = rules.get(p.ruleId);
    if (!a || !r) return [];
    const finding: Finding = {
      fingerprint: fingerprintOf(p.assetId, p.ruleId, `outcome:${p.outcome}`),
      ruleId: r.id,
      title: r.title,
      severity: r.severity,
      frameworks: r.frameworks,
      unverified: r.unverified,
      remediation: r.remediation,
      message: p.outcome === 'manual' ? `${r.id} needs a person to judge ${a.id}` : `${r.id} could not evaluate ${a.id} (${p.reason}): ${p.detail}`,
      path: '',
      evidence: { outcome: p.outcome, reason: p.reason, detail: p.detail },
      evidenceHash: '',
      assetId: a.id,
      assetKind: a.kind,
      provider: a.provider,
      account: a.account,
      region: a.region,
    };
    return [{ finding, outcome: p.outcome, reason: p.reason }];
  });
}

export function renderOcsf(input: ComplianceReportInput): string {
  const time = Date.parse(input.result.finishedAt);
  const failed = input.result.findings.map((f) => ocsfComplianceFinding(recordOf(input, f), 'create', time));
  // OCSF compliance status: 0 Unknown (not evaluated), 99 Other (manual: a person must judge).
  const unjudged = unjudgedFindings(input).map(({ finding, outcome, reason }) => {
    const doc = ocsfComplianceFinding(recordOf(input, finding), 'create', time);
    const compliance = doc.compliance as Record<string, unknown>;
    return { ...doc, compliance: { ...compliance, status_id: outcome === 'manual' ? 99 : 0, status: outcome === 'manual' ? 'manual' : 'not evaluated', status_detail: reason } };
  });
  return JSON.stringify([...failed, ...unjudged], null, 2);
}
