// A scan history recorded before snapshots became JSON Lines (v1: one canonical JSON document per scan, as
// posture 0.1.0 wrote it; test/fixtures/history-v1 is such a history, a scan of samples/aws's two EKS
// clusters and its ECR repositories) goes on working: the next scan diffs against it, `posture diff` reads
// it, and `posture evidence` exports and verifies a period holding both kinds of snapshot.
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.ts';
import { closePublicEndpoint, openEndpointToInternetAndCutAuditLogs } from './support/eks-edits.ts';

const work = mkdtempSync(path.join(tmpdir(), 'posture-history-v1-'));
const history = path.join(work, 'history');
const estate = path.join(work, 'estate');
const base = 'aws://111122223333';
const platform = `${base}/eu-central-1/eks/cluster/platform`;
const analytics = 'aws://444455556666/us-east-1/eks/cluster/analytics';
const storefront = `${base}/eu-west-1/ecr/repository/storefront-web`;
let scanned: { code: number; stderr: string; html: string };

beforeAll(async () => {
  cpSync(path.resolve('test/fixtures/history-v1'), history, { recursive: true });
  for (const file of ['eks-cluster-platform.json', 'eks-cluster-analytics.json', 'ecr-repositories.json']) cpSync(path.resolve('samples/aws', file), path.join(estate, file));
  // Since the v1 scan: the platform cluster's API endpoint opened to the internet and its audit logs off…
  openEndpointToInternetAndCutAuditLogs(path.join(estate, 'eks-cluster-platform.json'));
  // …the analytics cluster's endpoint closed…
  closePublicEndpoint(path.join(estate, 'eks-cluster-analytics.json'));
  // …and the storefront-web repository deleted (payments-api is left as it was).
  const reposFile = path.join(estate, 'ecr-repositories.json');
  const repos = JSON.parse(readFileSync(reposFile, 'utf8')) as { repositories: { repositoryName: string }[] };
  repos.repositories = repos.repositories.filter((r) => r.repositoryName !== 'storefront-web');
  writeFileSync(reposFile, JSON.stringify(repos, null, 2));
  const html = path.join(work, 'report.html');
  const run = await runCli(['scan', estate, '--format', 'html', '--output', html, '--history-dir', history]);
  scanned = { code: run.code, stderr: run.stderr, html: readFileSync(html, 'utf8') };
}, 120_000);

describe('a v1 scan history', () => {
  it('is diffed against by the next scan, which records a v2 snapshot after it in the same chain', () => {
    expect(scanned.stderr).not.toMatch(/warning/);
    const chain = readFileSync(path.join(history, 'chain.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; prev: string; file: string });
    expect(chain.map((e) => e.seq)).toEqual([1, 2]);
    const second = readFileSync(path.join(history, chain[1]!.file), 'utf8');
    expect(JSON.parse(second.slice(0, second.indexOf('\n')))).toMatchObject({ v: 2, seq: 2 });
    // The HTML report's drift section: two clusters changed, one repository gone, payments-api as it was.
    expect(scanned.html).toContain('<p id="drift-totals">2 changed, 0 added, 1 removed assets;');
    expect(scanned.html).toContain(`<span class="badge">removed</span> ${storefront}`);
    expect(scanned.html).not.toContain('payments-api</div>');
  });

  it('is read by `posture diff` against the v2 scan after it', async () => {
    const run = await runCli(['diff', '--history-dir', history]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Drift from scan 1 (2026-11-27T01:15:50.511Z) to scan 2');
    expect(run.stdout).toContain(`CHANGED  ${platform}`);
    expect(run.stdout).toContain('~ cluster/endpoint/public: false → true');
    expect(run.stdout).toContain('~ cluster/auditLogging: true → false');
    expect(run.stdout).toMatch(/\+ opened CLU-001 \[high\]/);
    expect(run.stdout).toContain(`CHANGED  ${analytics}`);
    expect(run.stdout).toContain('~ cluster/endpoint/public: true → false');
    // The v1 scan's one finding on the deleted repository (DR-001 on its tags) is closed with it.
    expect(run.stdout).toContain(`REMOVED  ${storefront}`);
    expect(run.stdout).toMatch(/- closed DR-001 \[medium\] .*\(tags: was /);
    expect(run.stdout).not.toContain('payments-api');
    // Opened: CLU-001, CLU-002 and CLU-004 on platform; closed: DR-001 with storefront-web, CLU-001 and CLU-002 on analytics.
    expect(run.stdout).toMatch(/\n2 changed, 0 added, 1 removed, 1 unchanged assets; 3 findings opened, 3 closed\n$/);

    const json = JSON.parse((await runCli(['diff', '--history-dir', history, '--format', 'json'])).stdout) as {
      assets: { assetId: string; status: string; opened: { ruleId: string }[]; closed: { ruleId: string }[] }[];
      totals: Record<string, number>;
    };
    // JSON lists every asset, in id order, unchanged ones too.
    expect(json.assets.map((a) => [a.assetId, a.status])).toEqual([
      [`${base}/eu-central-1/eks/cluster/platform`, 'changed'],
      [`${base}/eu-west-1/ecr/repository/payments-api`, 'unchanged'],
      [storefront, 'removed'],
      [analytics, 'changed'],
    ]);
    const byId = new Map(json.assets.map((a) => [a.assetId, a]));
    expect(byId.get(platform)!.opened.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['CLU-001', 'CLU-002', 'CLU-004']));
    expect(byId.get(analytics)!.closed.map((f) => f.ruleId)).toContain('CLU-001');
    expect(byId.get(storefront)!.closed.map((f) => f.ruleId)).toEqual(['DR-001']);
    expect(json.totals).toMatchObject({ changed: 2, added: 0, removed: 1, unchanged: 1 });
    expect(json.totals.closed).toBe(json.assets.reduce((n, a) => n + a.closed.length, 0));
  });

  it('exports with the v2 scan into an evidence bundle that verifies, both snapshots copied byte for byte', async () => {
    const out = path.join(work, 'bundle');
    const run = await runCli(['evidence', '--from', '2026-11-27', '--to', new Date().toISOString().slice(0, 10), '--out', out, '--history-dir', history]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const file of readdirSync(path.join(history, 'scans'))) expect(readFileSync(path.join(out, 'scans', file))).toEqual(readFileSync(path.join(history, 'scans', file)));
    const findings = JSON.parse(readFileSync(path.join(out, 'findings.json'), 'utf8')) as { findings: { ruleId: string; assetId: string; history: { event: string }[]; openAtEnd: boolean }[] };
    const dr = findings.findings.find((f) => f.ruleId === 'DR-001' && f.assetId === storefront)!;
    // Closed only where the later scan looked: the repository is not in it, so its finding stays as it was.
    expect(dr.history.map((h) => h.event)).toEqual(['opened']);
    const clu = findings.findings.find((f) => f.ruleId === 'CLU-001' && f.assetId === analytics)!;
    expect(clu.history.map((h) => h.event)).toEqual(['opened', 'closed']);
    expect((await runCli(['evidence', 'verify', out, '--history-dir', history])).code).toBe(0);
  });
});
