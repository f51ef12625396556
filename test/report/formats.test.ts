// junit, csv, ocsf and asff from a real scan of the sample estate, read back with real parsers.
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { complianceOf, type ComplianceExtras } from '../../cli/compliance.ts';
import type { ScanResult } from '../../core/scan.ts';
import { formatScore } from '../../core/scores.ts';
import { renderAsff } from '../../report/asff.ts';
import { csvColumns, renderCsv } from '../../report/csv.ts';
import { renderJunit } from '../../report/junit.ts';
import { renderOcsf } from '../../report/ocsf.ts';
import { loadFrameworks } from '../../core/frameworks.ts';
import { sampleScan } from './support.ts';

let result: ScanResult;
let extras: ComplianceExtras;
beforeAll(async () => {
  ({ result, extras } = complianceOf(await sampleScan()));
});

describe('csv', () => {
  it('has one row per finding with its controls, and defuses spreadsheet formulas', () => {
    const hostile = structuredClone(result);
    hostile.findings[0]!.message = '=HYPERLINK("https://evil.example","click")';
    hostile.findings[1]!.message = 'line one\nline "two", with comma';
    const rows = parseCsv(renderCsv({ result: hostile, ...extras }), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(result.findings.length);
    expect(Object.keys(rows[0]!)).toEqual([...csvColumns]);
    expect(rows[0]!.message).toBe(`'=HYPERLINK("https://evil.example","click")`);
    expect(rows[1]!.message).toBe('line one\nline "two", with comma');
    const eks = rows.find((r) => r.rule_id === 'EKS-001')!;
    expect(eks.controls).toContain('cis-eks-1.8:5.4.2');
    expect(eks.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('junit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'testcase'].includes(name) });

  it('has a suite per framework and a case per control: failing, passing, or skipped (manual / not assessed)', () => {
    const doc = parser.parse(renderJunit({ result, ...extras })) as { testsuites: { testsuite: Record<string, unknown>[] } };
    const suites = doc.testsuites.testsuite;
    expect(suites).toHaveLength(13);
    const eks = suites.find((s) => s['@_id'] === 'cis-eks-1.8')! as { testcase: Record<string, unknown>[]; '@_failures': string; '@_skipped': string };
    const fw = extras.scores.all.frameworks.find((f) => f.id === 'cis-eks-1.8')!;
    expect(eks.testcase).toHaveLength(fw.controls.length);
    expect(Number(eks['@_failures'])).toBe(fw.controls.filter((c) => c.failingAssets.length).length);
    expect(Number(eks['@_skipped'])).toBe(fw.counts.manual + fw.counts.notAssessed);
    const audit = eks.testcase.find((t) => String(t['@_name']).startsWith('2.1.1 '))! as { failure: { '#text': string; '@_message': string } };
    expect(audit.failure['@_message']).toMatch(/1 of \d+ assets fail/);
    expect(audit.failure['#text']).toContain('EKS-004');
    expect(JSON.stringify(suites.find((s) => s['@_id'] === 'hipaa'))).toContain(formatScore(extras.scores.all.frameworks.find((f) => f.id === 'hipaa')!.score));
  });

  it('stays well-formed XML when evidence carries control characters and markup', () => {
    const hostile = structuredClone(result);
    const f = hostile.findings.find((x) => x.ruleId === 'EKS-004')!;
    f.message = 'bad \u0001\u001b[31m <x/> ]]> & "quotes"';
    const xml = renderJunit({ result: hostile, ...complianceOf(hostile).extras });
    expect(xml).not.toMatch(/[\u0001\u001b]/);
    expect(() => new XMLParser().parse(xml, true)).not.toThrow();
    expect(xml).toContain('&lt;x/&gt; ]]&gt; &amp;');
  });
});

describe('ocsf', () => {
  it('is one Compliance Finding (class 2003) per finding, suppression shown as such', () => {
    const fp = result.findings[0]!.fingerprint;
    const docs = JSON.parse(renderOcsf({ result, ...extras, suppressions: { [fp]: { exceptionId: 'ex-1', reason: 'accepted', owner: 'sec' } } })) as Record<string, unknown>[];
    expect(docs).toHaveLength(result.findings.length);
    for (const d of docs) expect(d).toMatchObject({ class_uid: 2003, category_uid: 2, type_uid: 200301 });
    expect(docs[0]).toMatchObject({ status_id: 3, status_detail: 'suppressed: accepted', finding_info: { uid: fp } });
  });
});

describe('asff', () => {
  it('attributes AWS findings to their own account without config, and refuses non-AWS findings without an importing account', () => {
    const aws = { ...result, findings: result.findings.filter((f) => f.provider === 'aws') };
    const docs = JSON.parse(renderAsff({ result: aws, ...extras })) as { AwsAccountId: string; Compliance: { Status: string }; Resources: { Id: string }[] }[];
    expect(docs).toHaveLength(aws.findings.length);
    expect(docs[0]!.AwsAccountId).toBe(aws.findings[0]!.account);
    expect(docs.every((d) => d.Compliance.Status === 'FAILED')).toBe(true);
    expect(() => renderAsff({ result, ...extras })).toThrow(/set publish\.securityhub\.accountId and region/);
    const all = JSON.parse(renderAsff({ result, ...extras }, { accountId: '999988887777', region: 'eu-west-1' })) as { AwsAccountId: string }[];
    expect(new Set(all.map((d) => d.AwsAccountId))).toEqual(new Set(['999988887777']));
  });
});

describe('html drift section and --framework', () => {
  it('shows what changed since the previous scan', async () => {
    const { diffSnapshots } = await import('../../core/drift.ts');
    const { snapshotOf } = await import('../../core/snapshots.ts');
    const { renderHtml } = await import('../../report/html.ts');
    const later = structuredClone(result);
    const cluster = later.assets.find((a) => a.kind === 'cluster' && a.cluster.distribution === 'eks')!;
    if (cluster.kind === 'cluster') cluster.cluster.auditLogging = !cluster.cluster.auditLogging;
    const dropped = later.findings.shift()!;
    const snap = (r: ScanResult, seq: number) => ({ v: 1 as const, seq, ...snapshotOf(r, extras.scores, { policyVersion: 'test', suppressions: {} }) });
    const drift = diffSnapshots(snap(result, 1), snap(later, 2));
    const html = renderHtml({ result: later, ...extras, drift });
    expect(html).toContain('Changes since scan 1');
    expect(html).toContain('<code>cluster/auditLogging</code>');
    expect(html).toContain(`closed ${dropped.ruleId}`);
  });

  it('`posture scan --framework hipaa` reports only that framework, through its NIST crosswalk', async () => {
    const { runCli } = await import('../cli/helpers.ts');
    const run = await runCli(['scan', 'samples/aws', '--format', 'json', '--framework', 'hipaa', '--no-history']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { findings: { ruleId: string }[]; compliance: { framework: string; all: { frameworks: { id: string }[] } } };
    expect(report.compliance.framework).toBe('hipaa');
    expect(report.compliance.all.frameworks.map((f) => f.id)).toEqual(['hipaa']);
    const hipaaRules = new Set(loadFrameworks().get('hipaa')!.controls.flatMap((c) => c.rules));
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((f) => hipaaRules.has(f.ruleId))).toBe(true);
    const bad = await runCli(['scan', 'samples/aws', '--framework', 'hippa', '--no-history']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown framework "hippa"; known: .*hipaa/);
  });
});
