// The HTML report in real headless Chromium (Debian's chromium via playwright-core): it renders,
// its numbers are the JSON report's, the filters work, and it makes no request at all.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceOf } from '../../cli/compliance.ts';
import { formatScore, type ComplianceScores } from '../../core/scores.ts';
import { renderHtml } from '../../report/html.ts';
import { renderJson } from '../../report/json.ts';
import { sampleScan } from './support.ts';

const outDir = path.resolve('test-results');
const hostile = '</script><script>window.__pwned=1</script><img src="https://evil.example/x.png">';

let browser: Browser;
let page: Page;
let json: { compliance: ComplianceScores; findings: { assetId: string; severity: string; provider: string; account: string }[] };
const requests: string[] = [];

beforeAll(async () => {
  const scanned = await sampleScan();
  const { result, extras } = complianceOf(scanned);
  // A finding whose message and evidence try to break out of the page: they must show as text.
  const victim = result.findings.find((f) => f.ruleId === 'CLU-001')!;
  victim.message = `${victim.message} ${hostile}`;
  victim.evidence = { note: hostile };
  json = JSON.parse(renderJson(result, { compliance: extras.scores })) as typeof json;
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'compliance-report.html');
  writeFileSync(file, renderHtml({ result, ...extras }));

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const text = (selector: string) => page.locator(selector).first().innerText();
const scoreText = (fw: string) => page.locator(`#summary td[data-score="${fw}"] .num`).innerText();

describe('HTML compliance report in Chromium', () => {
  it('renders the summary with the JSON report numbers, and the formula', async () => {
    expect(await page.title()).toMatch(/posture compliance report/);
    expect(await text('#count-findings')).toBe(String(json.findings.length));
    for (const fw of json.compliance.all.frameworks) {
      expect(await scoreText(fw.id)).toBe(formatScore(fw.score));
      expect(await page.locator(`#summary td[data-count="${fw.id}|assessed"]`).innerText()).toBe(String(fw.counts.assessed));
    }
    expect(await text('#formula')).toContain('passed assets ÷ (passed + failed assets)');
    await page.screenshot({ path: path.join(outDir, 'compliance-report-summary.png') });
  });

  it('filters by cloud and by account: scores switch to that scope, findings elsewhere hide', async () => {
    const gcp = json.compliance.clouds.find((c) => c.key === 'cloud:gcp')!;
    await page.selectOption('#f-cloud', 'cloud:gcp');
    expect(await text('#scope-label')).toBe('gcp');
    for (const fw of gcp.frameworks) expect(await scoreText(fw.id)).toBe(formatScore(fw.score));
    const clouds = await page.locator('.framework .finding:not(.hidden)').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-cloud')))]);
    expect(clouds).toEqual(['cloud:gcp']);

    const account = json.compliance.accounts.find((a) => a.provider === 'aws')!;
    await page.selectOption('#f-cloud', 'cloud:aws');
    await page.selectOption('#f-account', account.key);
    expect(await text('#scope-label')).toBe(account.label);
    for (const fw of account.frameworks) expect(await scoreText(fw.id)).toBe(formatScore(fw.score));
    const control = account.frameworks.find((f) => f.id === 'cis-eks-1.8')!.controls.find((c) => c.id === '5.4.2')!;
    expect(await page.locator('[data-ratio="cis-eks-1.8|5.4.2"]').innerText()).toBe(`${control.passed}/${control.assessed}`);
    await page.selectOption('#f-account', '');
    await page.selectOption('#f-cloud', '');
    for (const fw of json.compliance.all.frameworks) expect(await scoreText(fw.id)).toBe(formatScore(fw.score));
  });

  it('filters findings by minimum severity', async () => {
    const all = await page.locator('#fw-cis-eks-1\\.8 .finding').count();
    await page.selectOption('#f-severity', 'critical');
    const visible = await page.locator('.framework .finding:not(.hidden)').evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
    expect(visible.length).toBeGreaterThan(0);
    expect(new Set(visible)).toEqual(new Set(['critical']));
    await page.selectOption('#f-severity', 'info');
    expect(await page.locator('#fw-cis-eks-1\\.8 .finding:not(.hidden)').count()).toBe(all);
  });

  it('drills down from a control to failing assets, evidence and remediation; hostile text stays text', async () => {
    const drill = page.locator('#fw-cis-eks-1\\.8 tr.drill').first();
    await drill.locator('summary').first().click();
    await drill.locator('details.ev summary').first().click();
    const body = await drill.innerText();
    expect(body).toContain('aws://');
    expect(body).toContain('remediation');
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    expect(await page.locator('.framework .msg', { hasText: '</script><script>' }).count()).toBeGreaterThan(0);
    await drill.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, 'compliance-report-drilldown.png') });
  });

  it('made no request outside the file itself', () => {
    expect(requests).toEqual([]);
  });
});
