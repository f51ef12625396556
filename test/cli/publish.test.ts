// The CLI's ticket path as a user runs it: scan --publish against a Jira that behaves like Jira,
// re-scan, fix something, and drain with `posture publish`.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJira, type JiraStandin } from '../standins/jira.ts';
import { runCli } from './helpers.ts';

let jira: JiraStandin;
let dir: string;
let config: string;
let state: string;
let cluster: string;

beforeAll(async () => {
  jira = await startJira({ searchLagMs: 0 });
  dir = mkdtempSync(path.join(tmpdir(), 'posture-publish-'));
  process.env.POSTURE_TEST_JIRA_TOKEN = jira.apiToken;
  config = path.join(dir, 'posture.yaml');
  writeFileSync(
    config,
    [
      'publish:',
      '  allowLoopbackHttpForTests: true',
      '  jira:',
      `    baseUrl: ${jira.url}`,
      `    email: ${jira.email}`,
      '    apiToken: { env: POSTURE_TEST_JIRA_TOKEN }',
      `    project: ${jira.project}`,
      '    doneTransition: Done',
    ].join('\n'),
  );
  state = path.join(dir, 'state.db');
  cluster = path.join(dir, 'eks.json');
  writeFileSync(cluster, readFileSync(path.resolve('samples/aws/eks-cluster-analytics.json')));
});
afterAll(async () => {
  await jira.close();
  delete process.env.POSTURE_TEST_JIRA_TOKEN;
});

const scan = (...extra: string[]) => runCli(['scan', '--format', 'json', '--no-history', '--config', config, '--state', state, ...extra, cluster]);

describe('posture scan --publish', () => {
  it('opens one Jira issue per finding, none on a re-scan, and resolves what was fixed', async () => {
    const first = await scan('--publish');
    expect(first.code).toBe(0);
    const findings = (JSON.parse(first.stdout) as { findings: { fingerprint: string; ruleId: string }[] }).findings;
    expect(findings.length).toBeGreaterThan(3);
    expect(jira.issues()).toHaveLength(findings.length);
    for (const f of findings) expect(jira.withLabel(`fp-${f.fingerprint}`)).toHaveLength(1);
    expect(first.stderr).toMatch(new RegExp(`tickets were: ${findings.length} created`));

    const again = await scan('--publish');
    expect(again.code).toBe(0);
    expect(jira.issues()).toHaveLength(findings.length);

    // Fix the audit logging finding: enable every control-plane log type.
    const doc = JSON.parse(readFileSync(cluster, 'utf8')) as { cluster: { logging: unknown } };
    doc.cluster.logging = { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] };
    writeFileSync(cluster, JSON.stringify(doc));
    const fixed = await scan('--publish');
    const remaining = new Set((JSON.parse(fixed.stdout) as { findings: { fingerprint: string }[] }).findings.map((f) => f.fingerprint));
    const gone = findings.filter((f) => !remaining.has(f.fingerprint));
    expect(gone.length).toBeGreaterThan(0);
    for (const f of gone) expect(jira.statusOf(jira.withLabel(`fp-${f.fingerprint}`)[0]!)).toBe('Done');
    expect(jira.issues()).toHaveLength(findings.length);
  });

  it('records changes without delivering them, shows them with --dry-run, and delivers them with `posture publish`', async () => {
    const before = jira.issues().length;
    const comments = () => jira.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/comment')).length;
    const commentsBefore = comments();
    // Two findings change shape while publishing is not run (the scan records, it does not deliver).
    const doc = JSON.parse(readFileSync(cluster, 'utf8')) as { cluster: { resourcesVpcConfig: { publicAccessCidrs: string[] }; tags?: Record<string, string> } };
    doc.cluster.resourcesVpcConfig.publicAccessCidrs = ['0.0.0.0/0', '198.51.100.0/24'];
    doc.cluster.tags = { 'data-classification': 'restricted' };
    writeFileSync(cluster, JSON.stringify(doc));
    const recorded = await scan();
    expect(recorded.code).toBe(0);
    expect(recorded.stderr).toMatch(/state: 1 assets recorded/);
    expect(jira.issues()).toHaveLength(before);

    const dry = await runCli(['publish', '--dry-run', '--config', config, '--state', state]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/tickets would be: 0 created, 2 updated/);
    expect(dry.stdout).toMatch(/jira: updated CLU-002 .*\(SEC-\d+\)/);
    expect(comments()).toBe(commentsBefore);

    const delivered = await runCli(['publish', '--config', config, '--state', state]);
    expect(delivered.code).toBe(0);
    expect(delivered.stdout).toMatch(/tickets were: 0 created, 2 updated/);
    expect(delivered.stdout).toMatch(/outbox: 0 pending, 0 parked/);
    expect(comments()).toBe(commentsBefore + 2);
    expect(jira.issues()).toHaveLength(before);
  });

  it('names the missing publisher configuration instead of failing silently', async () => {
    const bare = path.join(dir, 'bare.yaml');
    writeFileSync(bare, 'image:\n  maxAgeDays: 30\n');
    const run = await runCli(['publish', '--config', bare, '--state', state]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no publisher is configured/);
  });
});
