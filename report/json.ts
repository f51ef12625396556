// Machine-readable report: the whole scan, stable field names, assets without their raw payloads.
import type { ScanResult } from '../core/scan.ts';
import { countBySeverity } from '../core/scan.ts';
import type { ComplianceScores } from '../core/scores.ts';
import { countOutcomes, excludedPairs } from '../core/outcomes.ts';
import { unjudgedPairs } from './compliance-input.ts';
import { prettyJsonChunks, Spread, Streamed } from './json-chunks.ts';

/**
 * The report as chunks of text (joined, the document `renderJson` returns): assets and findings are
 * stringified one at a time as they are written, so the CLI never holds the whole report as one string.
 * `compliance`: framework scores (core/scores.ts), added when the caller computed them.
 */
export function jsonReportChunks(result: ScanResult, extras: { compliance?: ComplianceScores } = {}): Generator<string> {
  return prettyJsonChunks({
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
    assets: new Streamed(withoutRaw(result.assets)),
    findings: new Streamed(result.findings),
    /** Pairs that are neither pass nor fail: what the scan could not judge, and why. */
    unjudged: new Streamed(unjudgedPairs(result)),
    /** Pairs a rule declared outside what it judges on this asset (e.g. a system namespace), and why. */
    notApplicable: new Streamed(excludedPairs(result)),
    errors: result.errors,
    // Which collection scopes the assets came from and whether each was read completely.
    ...(result.scopes ? { scopes: result.scopes.map(({ assetIds, ...scope }) => ({ ...scope, assets: assetIds.length })) } : {}),
    // Down to each control's score: a control lists its failing assets, and there is one per framework and scope.
    ...(extras.compliance ? { compliance: new Spread(extras.compliance, 5) } : {}),
  });
}

function* withoutRaw(assets: ScanResult['assets']): Generator<unknown> {
  for (const { raw: _raw, ...asset } of assets) yield asset;
}

/** The whole report as one string (tests, small scans); the CLI writes `jsonReportChunks` instead. */
export function renderJson(result: ScanResult, extras: { compliance?: ComplianceScores } = {}): string {
  return [...jsonReportChunks(result, extras)].join('');
}
