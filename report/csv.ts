// CSV for spreadsheets and GRC imports: one row per finding (outcome `fail`), with the framework controls
// it evidences, and one row per (rule, asset) pair that could not be judged (`not-evaluated`, `manual`).
// Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) are prefixed with '.
import { stringify } from 'csv-stringify/sync';
import { evidenceText, unjudgedPairs, type ComplianceReportInput } from './compliance-input.ts';

export const csvColumns = [
  'outcome', 'severity', 'rule_id', 'title', 'asset_id', 'asset_kind', 'provider', 'account', 'region',
  'path', 'message', 'controls', 'suppressed_by', 'remediation', 'evidence', 'fingerprint',
] as const;

const defuse = (cell: string) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell);

export function renderCsv(input: ComplianceReportInput): string {
  const { result, scores } = input;
  const only = scores.framework;
  const rows = result.findings.map((f) => {
    const controls = Object.entries(f.frameworks)
      .filter(([fw]) => !only || fw === only)
      .flatMap(([fw, ids]) => ids.map((id) => `${fw}:${id}`))
      .join('; ');
    const sup = input.suppressions?.[f.fingerprint];
    return [
      'fail', f.severity, f.ruleId, f.title, f.assetId, f.assetKind, f.provider, f.account, f.region,
      f.path, f.message, controls, sup ? `${sup.exceptionId} (${sup.owner})` : '', f.remediation, evidenceText(f.evidence, 2000), f.fingerprint,
    ].map((c) => defuse(String(c)));
  });
  const assets = new Map(result.assets.map((a) => [a.id, a]));
  const rules = new Map(result.rules.map((r) => [r.id, r]));
  const unjudged = unjudgedPairs(result).map((p) => {
    const a = assets.get(p.assetId);
    const r = rules.get(p.ruleId);
    return [
      p.outcome, r?.severity ?? '', p.ruleId, r?.title ?? '', p.assetId, a?.kind ?? '', a?.provider ?? '', a?.account ?? '', a?.region ?? '',
      '', `${p.reason}: ${p.detail}`, '', '', '', '', '',
    ].map((c) => defuse(String(c)));
  });
  return stringify([[...csvColumns], ...rows, ...unjudged], { record_delimiter: 'unix' }).trimEnd();
}
