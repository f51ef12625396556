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
import { frameworkIds } from '../../policies/catalog.ts';

let result: ScanResult;
let extras: ComplianceExtras;
beforeAll(async () => {
  ({ result, extras } = complianceOf(await sampleScan()));
});

describe('csv', () => {
  it('has one row per finding (outcome fail) with its controls, one per unjudged pair, and defuses spreadsheet formulas', () => {
    const hostile = structuredClone(result);
    hostile.findings[0]!.message = '=HYPERLINK("https://evil.example","click")';
    hostile.findings[1]!.message = 'line one\nline "two", with comma';
    const rows = parseCsv(renderCsv({ result: hostile, ...extras }), { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.outcome === 'fail')).toHaveLength(result.findings.length);
    expect(Object.keys(rows[0]!)).toEqual([...csvColumns]);
    // The sample EKS exports are `aws eks describe-cluster` only: no node groups or add-ons were read.
    const unlisted = rows.find((r) => r.outcome === 'not-evaluated' && r.rule_id === 'EKS-009')!;
    expect(unlisted.message).toBe('input-missing: raw.nodegroups was not collected');
    expect(rows[0]!.message).toBe(`'=HYPERLINK("https://evil.example","click")`);
    expect(rows[1]!.message).toBe('line one\nline "two", with comma');
    const eks = rows.find((r) => r.rule_id === 'CLU-001' && r.asset_id!.includes('/eks/'))!;
    expect(eks.controls).toContain('cis-eks-1.8:5.4.2');
    expect(eks.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('junit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'testcase'].includes(name) });

  it('has a suite per framework and a case per control: failing, passing, or skipped (manual / not assessed)', () => {
    const doc = parser.parse(renderJunit({ result, ...extras })) as { testsuites: { testsuite: Record<string, unknown>[] } };
    const suites = doc.testsuites.testsuite;
    expect(suites).toHaveLength(frameworkIds.length);
    const eks = suites.find((s) => s['@_id'] === 'cis-eks-1.8')! as { testcase: Record<string, unknown>[]; '@_failures': string; '@_skipped': string };
    const fw = extras.scores.all.frameworks.find((f) => f.id === 'cis-eks-1.8')!;
    expect(eks.testcase).toHaveLength(fw.controls.length);
    expect(Number(eks['@_failures'])).toBe(fw.controls.filter((c) => c.failingAssets.length).length);
    expect(Number(eks['@_skipped'])).toBe(fw.counts.manual + fw.counts.notAssessed);
    const audit = eks.testcase.find((t) => String(t['@_name']).startsWith('2.1.1 '))! as { failure: { '#text': string; '@_message': string } };
    expect(audit.failure['@_message']).toMatch(/1 of \d+ assets fail/);
    expect(audit.failure['#text']).toContain('CLU-004');
    expect(JSON.stringify(suites.find((s) => s['@_id'] === 'hipaa'))).toContain(formatScore(extras.scores.all.frameworks.find((f) => f.id === 'hipaa')!.score));
  });

  it('stays well-formed XML when evidence carries control characters and markup', () => {
    const hostile = structuredClone(result);
    const f = hostile.findings.find((x) => x.ruleId === 'CLU-004')!;
    f.message = 'bad \u0001\u001b[31m <x/> ]]> & "quotes"';
    const xml = renderJunit({ result: hostile, ...complianceOf(hostile).extras });
    expect(xml).not.toMatch(/[\u0001\u001b]/);
    expect(() => new XMLParser().parse(xml, true)).not.toThrow();
    expect(xml).toContain('&lt;x/&gt; ]]&gt; &amp;');
  });
});

describe('outcomes in every format', () => {
  // Expected from the sample files: the EKS exports are DescribeCluster alone, so nothing says which node
  // groups exist (EKS-009, CLU-007), which add-ons enforce network policy (CLU-006) or how pods get identity (CLU-008).
  const pairOf = (ruleId: string) => result.outcomes.flatMap((o) => o.notEvaluated.map((n) => ({ assetId: o.assetId, ...n }))).find((n) => n.ruleId === ruleId)!;

  it('json: outcome counts, the rules with their preview flag, and every unjudged pair with its reason', async () => {
    const { renderJson } = await import('../../report/json.ts');
    const doc = JSON.parse(renderJson(result)) as { summary: { outcomes: Record<string, number> }; rules: { id: string; preview: boolean }[]; unjudged: { ruleId: string; reason: string }[] };
    expect(doc.summary.outcomes.fail).toBeGreaterThan(0);
    expect(doc.summary.outcomes['not-evaluated']).toBe(doc.unjudged.filter((u) => u.reason !== 'manual').length);
    expect(doc.rules.find((r) => r.id === 'CLU-007')!.preview).toBe(false);
    expect(doc.unjudged).toContainEqual(expect.objectContaining({ ruleId: 'EKS-009', reason: 'input-missing' }));
    expect(doc.unjudged).toContainEqual(expect.objectContaining({ ruleId: 'CLU-007', reason: 'input-missing' }));
  });

  it('sarif: unjudged pairs as results of kind "open" with level none', async () => {
    const { renderSarif } = await import('../../report/sarif.ts');
    const run = (JSON.parse(renderSarif(result)) as { runs: { results: { ruleId: string; kind?: string; level: string }[] }[] }).runs[0]!;
    const open = run.results.filter((r) => r.kind === 'open');
    expect(open.length).toBe(result.outcomes.reduce((n, o) => n + o.notEvaluated.length, 0));
    expect(open.find((r) => r.ruleId === 'EKS-009')).toMatchObject({ level: 'none' });
  });

  it('table: the outcome counts and the unjudged rules with why', async () => {
    const { renderTable } = await import('../../report/table.ts');
    const text = renderTable(result, { color: false });
    expect(text).toMatch(/rule × asset outcomes: \d+ pass, \d+ fail, \d+ not evaluated, \d+ manual, \d+ not applicable/);
    expect(text).toMatch(/EKS-009 {2}2 asset\(s\): not evaluated, a required input was not collected/);
  });

  it('ocsf and asff: unjudged pairs with compliance status Unknown / NOT_AVAILABLE', () => {
    const ocsf = JSON.parse(renderOcsf({ result, ...extras })) as { compliance: { status_id: number; control: string } }[];
    expect(ocsf.filter((d) => d.compliance.status_id === 0).length).toBe(result.outcomes.reduce((n, o) => n + o.notEvaluated.length, 0));
    const asff = JSON.parse(renderAsff({ result, ...extras }, { accountId: '999988887777', region: 'eu-west-1' })) as { GeneratorId: string; Compliance: { Status: string }; Resources: { Id: string }[] }[];
    const eks9 = pairOf('EKS-009');
    expect(asff.find((d) => d.Compliance.Status === 'NOT_AVAILABLE' && d.GeneratorId === 'posture/EKS-009' && d.Resources[0]!.Id === eks9.assetId)).toBeDefined();
  });

  it('junit and html: a control whose rules could not judge says so instead of passing', async () => {
    const { renderHtml } = await import('../../report/html.ts');
    const html = renderHtml({ result, ...extras });
    expect(html).toMatch(/id="outcome-counts">\d+ pass · \d+ fail · \d+ not evaluated/);
    const eks = extras.scores.all.frameworks.find((f) => f.id === 'cis-eks-1.8')!;
    // 5.4.3 (private nodes) is evidenced by CLU-007, which could not judge the sample EKS clusters (their
    // node groups were not read): not assessed, never passed.
    expect(eks.controls.find((c) => c.id === '5.4.3')).toMatchObject({ status: 'not-assessed', notEvaluated: 2, preview: [] });
    const xml = renderJunit({ result, ...extras });
    expect(xml).toMatch(/5\.4\.3 [^"]*">\s*<skipped message="not assessed: its rules apply to 2 asset\(s\) but could not judge them/);
  });
});

describe('ocsf', () => {
  it('is one Compliance Finding (class 2003) per finding, suppression shown as such', () => {
    const fp = result.findings[0]!.fingerprint;
    const docs = JSON.parse(renderOcsf({ result, ...extras, suppressions: { [fp]: { exceptionId: 'ex-1', reason: 'accepted', owner: 'sec' } } })) as Record<string, unknown>[];
    expect(docs.filter((d) => (d.compliance as { status_id: number }).status_id === 3)).toHaveLength(result.findings.length);
    for (const d of docs) expect(d).toMatchObject({ class_uid: 2003, category_uid: 2, type_uid: 200301 });
    expect(docs[0]).toMatchObject({ status_id: 3, status_detail: 'suppressed: accepted', finding_info: { uid: fp } });
  });
});

describe('asff', () => {
  it('attributes AWS findings to their own account without config, and refuses non-AWS findings without an importing account', () => {
    const aws = { ...result, findings: result.findings.filter((f) => f.provider === 'aws') };
    const docs = JSON.parse(renderAsff({ result: aws, ...extras })) as { AwsAccountId: string; Compliance: { Status: string }; Resources: { Id: string }[] }[];
    const failed = docs.filter((d) => d.Compliance.Status === 'FAILED');
    expect(failed).toHaveLength(aws.findings.length);
    expect(docs[0]!.AwsAccountId).toBe(aws.findings[0]!.account);
    expect(docs.every((d) => ['FAILED', 'NOT_AVAILABLE'].includes(d.Compliance.Status))).toBe(true);
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
    if (cluster.kind === 'cluster' && cluster.cluster.distribution !== 'ecs') cluster.cluster.auditLogging = !cluster.cluster.auditLogging;
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
