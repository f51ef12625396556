// The JSON report is written in pieces; joined, they must be exactly what JSON.stringify(document, null, 2)
// writes (Node's own serializer is the reference), whatever the values and however deep the pieces go.
import { describe, expect, it } from 'vitest';
import { complianceOf } from '../../cli/compliance.ts';
import { batched } from '../../core/text-chunks.ts';
import { prettyJsonChunks, Spread, Streamed } from '../../report/json-chunks.ts';
import { jsonReportChunks } from '../../report/json.ts';
import { sampleScan } from './support.ts';
import { countBySeverity } from '../../core/scan.ts';
import { countOutcomes, excludedPairs, unjudgedPairs } from '../../core/outcomes.ts';

const joined = (chunks: Iterable<string>) => [...chunks].join('');

const awkward = {
  text: 'line one\nline "two"\u2028 tab\t \u0000 ✓ 😀',
  numbers: [0, -0, 1.5e300, NaN, Infinity],
  nothing: null,
  missing: undefined,
  fn: () => 1,
  when: new Date('2026-11-26T22:00:00Z'),
  empty: { object: {}, array: [] },
  holes: [undefined, () => 1, null, 'x'],
  deep: { a: [{ b: [[1, 2], { c: 'd\ne' }] }] },
  map: new Map([['k', 'v']]),
  '10': 'integer-like keys come first in both',
};

describe('prettyJsonChunks', () => {
  it.each([0, 1, 2, 3, 8])('writes JSON.stringify(…, null, 2) byte for byte with the outer %i levels in pieces', (levels) => {
    const document = { head: 'x', body: new Spread(awkward, levels), list: new Streamed([awkward, undefined, 'y']), none: new Streamed([]), tail: awkward };
    const expected = JSON.stringify({ head: 'x', body: awkward, list: [awkward, undefined, 'y'], none: [], tail: awkward }, null, 2);
    expect(joined(prettyJsonChunks(document))).toBe(expected);
  });

  it('writes an empty document as {} and leaves out undefined top-level values', () => {
    expect(joined(prettyJsonChunks({}))).toBe(JSON.stringify({}, null, 2));
    expect(joined(prettyJsonChunks({ a: undefined, b: 1 }))).toBe(JSON.stringify({ a: undefined, b: 1 }, null, 2));
  });

  it('regroups chunks into writes of about the batch size without changing the text', () => {
    const chunks = Array.from({ length: 1000 }, (_, i) => `${i},`);
    const writes = [...batched(chunks, 100)];
    expect(writes.join('')).toBe(chunks.join(''));
    expect(writes.length).toBeGreaterThan(20);
    expect(Math.max(...writes.map((w) => w.length))).toBeLessThan(110);
  });
});

describe('jsonReportChunks', () => {
  it('joins to the report as one JSON.stringify of the whole document wrote it (assets without raw, compliance included)', async () => {
    const { result, extras } = complianceOf(await sampleScan());
    // The document as the report was built before it was written in pieces (report/json.ts, one string).
    const whole = JSON.stringify(
      {
        tool: 'posture',
        scanId: result.scanId,
        startedAt: result.startedAt,
        finishedAt: result.finishedAt,
        policyBundle: `sha256:${result.bundleDigest}`,
        summary: { assets: result.assets.length, findings: result.findings.length, errors: result.errors.length, bySeverity: countBySeverity(result.findings), outcomes: countOutcomes(result.outcomes, result.rules) },
        rules: result.rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, preview: r.preview, aliases: r.aliases })),
        assets: result.assets.map(({ raw: _raw, ...asset }) => asset),
        findings: result.findings,
        unjudged: unjudgedPairs(result),
        notApplicable: excludedPairs(result),
        errors: result.errors,
        ...(result.scopes ? { scopes: result.scopes.map(({ assetIds, ...scope }) => ({ ...scope, assets: assetIds.length })) } : {}),
        compliance: extras.scores,
      },
      null,
      2,
    );
    expect(result.assets.length).toBeGreaterThan(5);
    expect(result.findings.length).toBeGreaterThan(5);
    expect(joined(jsonReportChunks(result, { compliance: extras.scores }))).toBe(whole);
  });
});
