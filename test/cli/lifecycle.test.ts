// The finding lifecycle as a CLI user meets it, on both state backends (a SQLite file, and a DynamoDB table
// on moto reached as `--state dynamodb://TABLE` through the SDK's default chain): a cluster deleted from a
// directory scanned as a whole closes its tickets as no longer present; a file given on its own resolves
// nothing outside it; a Jira outage leaves the run non-zero, and `posture publish --now` delivers afterwards.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../core/state/dynamodb.ts';
import { startJira, type JiraStandin } from '../standins/jira.ts';
import { motoCredentials, startMoto, type MotoServer } from '../standins/moto.ts';
import { runCli } from './helpers.ts';

let moto: MotoServer;
let root: string;
const saved = { ...process.env };

beforeAll(async () => {
  moto = await startMoto({ region: 'eu-west-1' });
  root = mkdtempSync(path.join(tmpdir(), 'posture-lifecycle-'));
  // The CLI builds its DynamoDB client from the environment only, as it would on an operator's laptop.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
    AWS_ACCESS_KEY_ID: motoCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: motoCredentials.secretAccessKey,
    AWS_REGION: 'eu-west-1',
  });
});
afterAll(async () => {
  process.env = saved;
  await moto.stop();
  rmSync(root, { recursive: true, force: true });
});

type Report = { findings: { fingerprint: string; ruleId: string; assetId: string }[] };
const findingsOf = (stdout: string) => (JSON.parse(stdout) as Report).findings;
/** Plain text of every comment on a Jira issue (ADF documents flattened). */
const commentText = (jira: JiraStandin, key: string) => JSON.stringify(jira.issues().find((i) => i.key === key)?.comments ?? []);

let tables = 0;
const backends = [
  { name: 'sqlite', state: async () => path.join(mkdtempSync(path.join(root, 'sqlite-')), 'state.db') },
  {
    name: 'dynamodb',
    state: async () => {
      const table = `cli-state-${++tables}`;
      const store = new DynamoStateStore({ tableName: table, clientConfig: moto.clientConfig });
      await store.ensureTable(); // the stack's table, as CDK would have made it
      await store.close();
      return `dynamodb://${table}`;
    },
  },
];

describe.each(backends)('the finding lifecycle from the CLI on $name', (backend) => {
  let jira: JiraStandin;
  let dir: string;
  let config: string;
  let state: string;
  let exports: string;

  beforeEach(async () => {
    jira = await startJira({ searchLagMs: 0 });
    process.env.POSTURE_TEST_JIRA_TOKEN = jira.apiToken;
    dir = mkdtempSync(path.join(root, 'run-'));
    config = path.join(dir, 'posture.yaml');
    writeFileSync(
      config,
      ['publish:', '  allowLoopbackHttpForTests: true', '  jira:', `    baseUrl: ${jira.url}`, `    email: ${jira.email}`, '    apiToken: { env: POSTURE_TEST_JIRA_TOKEN }', `    project: ${jira.project}`].join('\n'),
    );
    state = await backend.state();
    exports = path.join(dir, 'exports');
    mkdirSync(exports);
    for (const name of ['eks-cluster-analytics.json', 'eks-cluster-platform.json', 'ecs-task-definition-payments.json']) copyFileSync(path.resolve('samples/aws', name), path.join(exports, name));
    return () => jira.close();
  });

  const scan = (...args: string[]) => runCli(['scan', '--format', 'json', '--no-history', '--config', config, '--state', state, '--max-wait', '0', ...args]);

  it('closes the tickets of a cluster deleted from a directory scanned as a whole, saying it is no longer present', async () => {
    const first = await scan('--publish', exports);
    expect(first.code).toBe(0);
    const all = findingsOf(first.stdout);
    const analytics = all.filter((f) => f.assetId.endsWith('/eks/cluster/analytics'));
    const others = all.filter((f) => !f.assetId.endsWith('/eks/cluster/analytics'));
    expect(analytics.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    expect(jira.issues()).toHaveLength(all.length);

    rmSync(path.join(exports, 'eks-cluster-analytics.json')); // the analytics cluster is decommissioned
    const second = await scan('--publish', exports);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(new RegExp(`1 assets no longer present; ${analytics.length} of their findings resolved`));
    for (const f of analytics) {
      const issue = jira.withLabel(`fp-${f.fingerprint}`)[0]!;
      expect(jira.statusOf(issue)).toBe('Done');
      expect(issue.history).toEqual(['created', 'Done']);
      expect(commentText(jira, issue.key)).toMatch(/no longer present/);
    }
    for (const f of others) expect(jira.statusOf(jira.withLabel(`fp-${f.fingerprint}`)[0]!)).toBe('To Do');
    expect(jira.issues()).toHaveLength(all.length);
  });

  it('resolves nothing beyond a file given on its own, and says so', async () => {
    const both = await scan('--publish', exports);
    const analytics = findingsOf(both.stdout).filter((f) => f.assetId.endsWith('/eks/cluster/analytics'));
    const one = await scan('--publish', path.join(exports, 'eks-cluster-platform.json'));
    expect(one.code).toBe(0);
    expect(one.stderr).toMatch(/1 input given one by one .*an asset missing from them is not resolved/);
    for (const f of analytics) expect(jira.statusOf(jira.withLabel(`fp-${f.fingerprint}`)[0]!)).toBe('To Do');
  });

  it('resolves nothing in a directory that could not be read whole', async () => {
    const first = await scan('--publish', exports);
    const analytics = findingsOf(first.stdout).filter((f) => f.assetId.endsWith('/eks/cluster/analytics'));
    rmSync(path.join(exports, 'eks-cluster-analytics.json'));
    writeFileSync(path.join(exports, 'eks-cluster-new.json'), '{"cluster": '); // a truncated download
    const partial = await scan('--publish', exports);
    expect(partial.code).toBe(3);
    expect(partial.stderr).toMatch(/1 scopes collected with errors: assets missing from them are not resolved/);
    for (const f of analytics) expect(jira.statusOf(jira.withLabel(`fp-${f.fingerprint}`)[0]!)).toBe('To Do');
  });

  it('exits 4 when Jira is down for the whole run, and `posture publish --now` delivers everything once it is back', async () => {
    jira.faults.down = true;
    const down = await scan('--publish', exports);
    const all = findingsOf(down.stdout);
    expect(down.code).toBe(4);
    expect(down.stderr).toMatch(new RegExp(`outbox: ${all.length} pending, 0 parked`));
    expect(down.stderr).toMatch(/not everything was delivered \(exit code 4\)/);
    expect(jira.issues()).toHaveLength(0);

    const stillDown = await runCli(['publish', '--config', config, '--state', state, '--max-wait', '0']);
    expect(stillDown.code).toBe(4);

    jira.faults.down = false;
    const delivered = await runCli(['publish', '--now', '--config', config, '--state', state, '--max-wait', '0']);
    expect(delivered.code).toBe(0);
    expect(delivered.stdout).toMatch(new RegExp(`tickets were: ${all.length} created`));
    expect(delivered.stdout).toMatch(/outbox: 0 pending, 0 parked/);
    for (const f of all) expect(jira.withLabel(`fp-${f.fingerprint}`)).toHaveLength(1);
  });

  it('reopens the tickets of a configuration rolled back to one seen before', async () => {
    const file = path.join(exports, 'eks-cluster-analytics.json');
    const original = readFileSync(file, 'utf8');
    const before = findingsOf((await scan('--publish', exports)).stdout);
    // Enable every control-plane log type: the audit logging finding goes away.
    const doc = JSON.parse(original) as { cluster: { logging: unknown } };
    doc.cluster.logging = { clusterLogging: [{ types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'], enabled: true }] };
    writeFileSync(file, JSON.stringify(doc));
    const after = new Set(findingsOf((await scan('--publish', exports)).stdout).map((f) => f.fingerprint));
    const fixed = before.filter((f) => !after.has(f.fingerprint));
    expect(fixed.length).toBeGreaterThan(0);
    for (const f of fixed) expect(jira.statusOf(jira.withLabel(`fp-${f.fingerprint}`)[0]!)).toBe('Done');

    writeFileSync(file, original); // the change is rolled back
    const rolledBack = await scan('--publish', exports);
    expect(rolledBack.code).toBe(0);
    for (const f of fixed) {
      const issue = jira.withLabel(`fp-${f.fingerprint}`)[0]!;
      expect(jira.statusOf(issue)).toBe('To Do');
      expect(issue.history).toEqual(['created', 'Done', 'Reopen']);
    }
    expect(jira.issues()).toHaveLength(before.length);
  });
});
