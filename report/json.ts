// Machine-readable report: the whole scan, stable field names, assets without their raw payloads.
import type { ScanResult } from '../core/scan.ts';
import { countBySeverity } from '../core/scan.ts';
import type { ComplianceScores } from '../core/scores.ts';
import { countOutcomes, excludedPairs } from '../core/outcomes.ts';
import { unjudgedPairs } from './compliance-input.ts';

/** `compliance`: framework scores (core/scores.ts), added when the caller computed them. */
export function renderJson(result: ScanResult, extras: { compliance?: ComplianceScores } = {}): string {
  return JSON.stringify(
    {
      tool: 'posture',
      scanId: result.scanId,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      policyBundle: `sha256:${result.bundleDigest}`,
      summary: {
        assets: result.assets.length,
        findings: result.findings.length,
        errors: result.errors.length,
        bySeverity: countBySeverity(result.findings),
        /** (rule, asset) pairs by outcome; only pass and fail count in scores. */
        outcomes: countOutcomes(result.outcomes, result.rules),
      },
      rules: result.rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, preview: r.preview, aliases: r.aliases })),
      assets: result.assets.map(({ raw: _raw, ...asset }) => asset),
      findings: result.findings,
      /** Pairs that are neither pass nor fail: what the scan could not judge, and why. */
      unjudged: unjudgedPairs(result),
      /** Pairs a rule declared outside what it judges on this asset (e.g. a system namespace), and why. */
      notApplicable: excludedPairs(result),
      errors: result.errors,
      // Which collection scopes the assets came from and whether each was read completely.
      ...(result.scopes ? { scopes: result.scopes.map(({ assetIds, ...scope }) => ({ ...scope, assets: assetIds.length })) } : {}),
      ...(extras.compliance ? { compliance: extras.compliance } : {}),
    },
    null,
    2,
  );
}
