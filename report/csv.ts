// CSV for spreadsheets and GRC imports: one row per finding, with the framework controls it evidences.
// Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) are prefixed with '.
import { stringify } from 'csv-stringify/sync';
import { evidenceText, type ComplianceReportInput } from './compliance-input.ts';

export const csvColumns = [
  'severity', 'rule_id', 'title', 'asset_id', 'asset_kind', 'provider', 'account', 'region',
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
      f.severity, f.ruleId, f.title, f.assetId, f.assetKind, f.provider, f.account, f.region,
      f.path, f.message, controls, sup ? `${sup.exceptionId} (${sup.owner})` : '', f.remediation, evidenceText(f.evidence, 2000), f.fingerprint,
    ].map((c) => defuse(String(c)));
  });
  return stringify([[...csvColumns], ...rows], { record_delimiter: 'unix' }).trimEnd();
}
