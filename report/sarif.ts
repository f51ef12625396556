// SARIF 2.1.0 for code-scanning dashboards: one result per finding, the fingerprint as partialFingerprint.
import type { ScanResult } from '../core/scan.ts';
import type { Severity } from '../policies/catalog.ts';
import { unjudgedPairs } from './compliance-input.ts';

const level: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const securitySeverity: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

export function renderSarif(result: ScanResult): string {
  const sources = new Map(result.assets.map((a) => [a.id, a.source]));
  const rules = result.rules.map((r) => ({
    id: r.id,
    name: r.package,
    shortDescription: { text: r.title },
    fullDescription: { text: r.description },
    help: { text: r.remediation },
    defaultConfiguration: { level: level[r.severity] },
    properties: {
      'security-severity': securitySeverity[r.severity],
      ...(r.preview ? { preview: true } : {}),
      ...(r.aliases.length ? { aliases: r.aliases } : {}),
      tags: Object.entries(r.frameworks).flatMap(([fw, ids]) => ids.map((id) => `${fw}/${id}`)),
    },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = result.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId),
    level: level[f.severity],
    message: { text: f.message },
    locations: [
      {
        ...(sources.get(f.assetId) ? { physicalLocation: { artifactLocation: { uri: sources.get(f.assetId) } } } : {}),
        logicalLocations: [{ fullyQualifiedName: `${f.assetId}#${f.path}`, kind: 'resource' }],
      },
    ],
    partialFingerprints: { 'posture/v1': f.fingerprint },
  }));
  // SARIF's own words for pairs that are neither pass nor fail: `open` (could not decide) and `review` (a person must).
  const unjudged = unjudgedPairs(result).map((p) => ({
    ruleId: p.ruleId,
    ruleIndex: index.get(p.ruleId),
    kind: p.outcome === 'manual' ? 'review' : 'open',
    level: 'none',
    message: { text: p.outcome === 'manual' ? `${p.ruleId} needs a person to judge ${p.assetId}` : `${p.ruleId} could not evaluate ${p.assetId} (${p.reason}): ${p.detail}` },
    locations: [{ logicalLocations: [{ fullyQualifiedName: p.assetId, kind: 'resource' }] }],
    properties: { outcome: p.outcome, reason: p.reason },
  }));
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'posture', informationUri: 'https://example.invalid/posture', rules } }, results: [...results, ...unjudged] }],
    },
    null,
    2,
  );
}
