// Publisher behaviour beyond the happy path: dedupe by search, workflow errors, OAuth, signatures,
// OCSF and ASFF shapes (Security Hub on moto), dry runs, secrets kept out of logs and errors.
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { recordScan } from '../../core/lifecycle.ts';
import { ManualClock } from '../../core/state/clock.ts';
import type { StateStore } from '../../core/state/store.ts';
import { drainOutbox } from '../../publishers/drain.ts';
import { PublishConfig } from '../../publishers/config.ts';
import { publishersFromConfig } from '../../publishers/from-config.ts';
import { JiraPublisher, fingerprintLabel } from '../../publishers/jira.ts';
import { SecurityHubPublisher } from '../../publishers/securityhub.ts';
import { ServiceNowPublisher } from '../../publishers/servicenow.ts';
import { WebhookPublisher } from '../../publishers/webhook.ts';
import { signPayload, verifyPayload } from '../../publishers/webhook-signature.ts';
import { type MotoServer, startMoto } from '../standins/moto.ts';
import { startJira } from '../standins/jira.ts';
import { startServiceNow } from '../standins/servicenow.ts';
import { startWebhookReceiver } from '../standins/webhook-receiver.ts';
import { type Backend, finding, scan, sqliteBackend } from '../state/support.ts';
import { captureLogs } from './support/harness.ts';

const backend: Backend = sqliteBackend();
let store: StateStore;
let clock: ManualClock;
beforeEach(async () => {
  store = await backend.open();
  clock = new ManualClock();
});
afterEach(() => store.close());
afterAll(() => backend.teardown());

const fast = (extra = {}) => ({ clock, backoff: { baseMs: 1_000, maxMs: 60_000 }, maxWaitMs: 3_600_000, random: () => 0.5, ...extra });
const jiraConfig = (url: string, extra: Record<string, unknown> = {}) =>
  PublishConfig.parse({ allowLoopbackHttpForTests: true, jira: { baseUrl: url, email: 'bot@example.com', apiToken: { env: 'T' }, project: 'SEC', ...extra } }).jira!;

describe('Jira', () => {
  it('finds an issue whose create response was lost instead of opening a second one', async () => {
    const jira = await startJira({ clock, searchLagMs: 400, loseCreateResponses: 1 });
    try {
      const f = finding('EKS-001', 'endpoint');
      await recordScan(store, scan([f]), { targets: ['jira'], clock });
      const summary = await drainOutbox(store, [new JiraPublisher(jiraConfig(jira.url), jira.apiToken, { now: () => clock.now() })], fast());
      expect(summary).toMatchObject({ retried: 1, outbox: { pending: 0, parked: 0 } });
      expect(jira.issues()).toHaveLength(1);
      expect((await store.getRecord(f.fingerprint))?.tickets.jira).toBe(jira.issues()[0]!.key);
    } finally {
      await jira.close();
    }
  });

  it('pages through search results and keeps the oldest issue when someone made duplicates', async () => {
    const jira = await startJira({ clock, searchLagMs: 0, maxPageSize: 1 });
    try {
      const f = finding('EKS-001', 'endpoint');
      const publisher = new JiraPublisher(jiraConfig(jira.url), jira.apiToken);
      await recordScan(store, scan([f]), { targets: ['jira'], clock });
      const record = (await store.getRecord(f.fingerprint))!;
      const first = await publisher.create({ record, deliveryId: 'x' });
      clock.advance(1);
      await publisher.create({ record, deliveryId: 'y' });
      expect(await publisher.find({ record, deliveryId: 'z' })).toBe(first);
      // A search with a page size of 1 and two hits needs the next page token to end.
      expect(jira.requests.filter((r) => r.path === '/rest/api/3/search/jql')).toHaveLength(1);
    } finally {
      await jira.close();
    }
  });

  it('sends a description Jira accepts: ADF with evidence, controls, remediation, labels and fields from config', async () => {
    const jira = await startJira({ clock, searchLagMs: 0 });
    try {
      const f = finding('EKS-001', 'endpoint', { cidrs: ['0.0.0.0/0'] });
      await recordScan(store, scan([f]), { targets: ['jira'], clock });
      const config = jiraConfig(jira.url, { issueType: 'Task', components: ['platform'], labels: ['team-pay'], customFields: { customfield_10010: 'x' } });
      await drainOutbox(store, [new JiraPublisher(config, jira.apiToken)], fast());
      const issue = jira.issues()[0]!;
      expect(issue.fields.labels).toEqual(['posture', fingerprintLabel(f.fingerprint), 'rule-EKS-001', 'severity-high', 'team-pay']);
      expect(issue.fields).toMatchObject({ issuetype: { name: 'Task' }, components: [{ name: 'platform' }], customfield_10010: 'x', priority: { name: 'High' } });
      const text = JSON.stringify(issue.fields.description);
      for (const part of ['0.0.0.0/0', 'cis-eks-1.8: 5.4.1', 'Fix endpoint', f.fingerprint]) expect(text).toContain(part);
    } finally {
      await jira.close();
    }
  });

  it('parks, with a message naming the problem, a field the Jira screen rejects', async () => {
    const jira = await startJira({ clock });
    try {
      await recordScan(store, scan([finding('EKS-001', 'a')]), { targets: ['jira'], clock });
      const config = jiraConfig(jira.url, { customFields: { customfield_99999: 'x' } });
      const summary = await drainOutbox(store, [new JiraPublisher(config, jira.apiToken)], fast());
      expect(summary).toMatchObject({ parked: 1, retried: 0 });
      expect((await store.listIntents({ state: 'parked' }))[0]?.lastError).toMatch(/HTTP 400 customfield_99999: Field 'customfield_99999' cannot be set/);
    } finally {
      await jira.close();
    }
  });

  it('parks a resolve whose transition name the workflow does not have, listing what it has', async () => {
    const jira = await startJira({ clock, searchLagMs: 0 });
    try {
      const f = finding('EKS-001', 'a');
      await recordScan(store, scan([f]), { targets: ['jira'], clock });
      const publisher = new JiraPublisher(jiraConfig(jira.url, { doneTransition: 'Close Issue' }), jira.apiToken);
      await drainOutbox(store, [publisher], fast());
      await recordScan(store, scan([]), { targets: ['jira'], clock });
      expect(await drainOutbox(store, [publisher], fast())).toMatchObject({ parked: 1 });
      expect((await store.listIntents({ state: 'parked' }))[0]?.lastError).toMatch(/no transition named "Close Issue" \(available: Start Progress, Done\)/);
    } finally {
      await jira.close();
    }
  });

  it('never writes the API token into logs or stored errors, even when it is rejected', async () => {
    const jira = await startJira({ clock });
    const logs = captureLogs();
    try {
      await recordScan(store, scan([finding('EKS-001', 'a')]), { targets: ['jira'], clock });
      const wrongToken = 'wrong-token-0123456789';
      const summary = await drainOutbox(store, [new JiraPublisher(jiraConfig(jira.url), wrongToken)], fast({ logger: logs.logger }));
      expect(summary.parked).toBe(1);
      const stored = JSON.stringify(await store.listIntents());
      expect(stored).toMatch(/HTTP 401/);
      const basic = Buffer.from(`bot@example.com:${wrongToken}`).toString('base64');
      for (const text of [logs.text(), stored]) {
        expect(text).not.toContain(wrongToken);
        expect(text).not.toContain(basic);
      }
      expect(logs.text()).toMatch(/delivery failed/);
    } finally {
      await jira.close();
    }
  });
});

describe('ServiceNow', () => {
  it('authenticates with OAuth client credentials and replaces a token the instance stops accepting', async () => {
    const sn = await startServiceNow({ clock });
    try {
      const config = PublishConfig.parse({ allowLoopbackHttpForTests: true, servicenow: { instanceUrl: sn.url, table: 'sn_grc_issue', auth: { oauth: { clientId: sn.clientId, clientSecret: { env: 'S' } } } } }).servicenow!;
      const publisher = new ServiceNowPublisher(config, { kind: 'oauth', clientId: sn.clientId, clientSecret: sn.clientSecret }, { now: () => clock.now() });
      const [a, b] = [finding('EKS-001', 'a'), finding('EKS-001', 'b')];
      await recordScan(store, scan([a]), { targets: ['servicenow'], clock });
      await drainOutbox(store, [publisher], fast());
      sn.revokeTokens();
      await recordScan(store, scan([a, b]), { targets: ['servicenow'], clock });
      expect(await drainOutbox(store, [publisher], fast())).toMatchObject({ created: 1, parked: 0 });
      expect(sn.rows().map((r) => r.number)).toEqual(['IPT0010000', 'IPT0010001']);
      expect(sn.byCorrelation(b.fingerprint)[0]).toMatchObject({ correlation_display: 'posture', urgency: '2', impact: '1' });
    } finally {
      await sn.close();
    }
  });

  it('parks a resolve the instance refuses for a close code outside its choices', async () => {
    const sn = await startServiceNow({ clock, closeCodes: ['Fixed'] });
    try {
      const config = PublishConfig.parse({ allowLoopbackHttpForTests: true, servicenow: { instanceUrl: sn.url, auth: { basic: { username: sn.username, password: { env: 'P' } } } } }).servicenow!;
      const publisher = new ServiceNowPublisher(config, { kind: 'basic', username: sn.username, password: sn.password });
      await recordScan(store, scan([finding('EKS-001', 'a')]), { targets: ['servicenow'], clock });
      await drainOutbox(store, [publisher], fast());
      await recordScan(store, scan([]), { targets: ['servicenow'], clock });
      expect(await drainOutbox(store, [publisher], fast())).toMatchObject({ parked: 1 });
      expect((await store.listIntents({ state: 'parked' }))[0]?.lastError).toMatch(/HTTP 403 .*Resolution code is mandatory/);
      expect(sn.rows()[0]?.state).toBe('1');
    } finally {
      await sn.close();
    }
  });
});

describe('GRC webhook', () => {
  it('signs every event; the receiver verifies it and a wrong secret is refused and parked', async () => {
    const receiver = await startWebhookReceiver({ clock });
    try {
      const config = PublishConfig.parse({ allowLoopbackHttpForTests: true, webhook: { url: receiver.url, secret: { env: 'W' }, format: 'ocsf' } }).webhook!;
      await recordScan(store, scan([finding('EKS-001', 'a')]), { targets: ['webhook'], clock });
      await drainOutbox(store, [new WebhookPublisher(config, receiver.secret, { now: () => clock.now() })], fast());
      const event = receiver.events[0]!;
      expect(event.event).toBe('finding.created');
      expect(event.body).toMatchObject({ class_uid: 2003, category_uid: 2, activity_id: 1, type_uid: 200301, severity_id: 4, status_id: 1, compliance: { status_id: 3 } });
      expect(event.body.finding_info).toMatchObject({ title: 'EKS-001 title' });

      await recordScan(store, scan([]), { targets: ['webhook'], clock });
      const forged = await drainOutbox(store, [new WebhookPublisher(config, 'not-the-secret', { now: () => clock.now() })], fast());
      expect(forged).toMatchObject({ parked: 1 });
      expect(receiver.stats().rejected).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('signature helpers reject tampered bodies and stale timestamps', () => {
    const header = signPayload('s3cret', '{"a":1}', 1_000);
    expect(verifyPayload('s3cret', header, '{"a":1}', 1_010)).toBe(true);
    expect(verifyPayload('s3cret', header, '{"a":2}', 1_010)).toBe(false);
    expect(verifyPayload('s3cret', header, '{"a":1}', 2_000)).toBe(false);
    expect(verifyPayload('other', header, '{"a":1}', 1_010)).toBe(false);
    expect(verifyPayload('s3cret', 't=1000,v1=zz', '{"a":1}', 1_010)).toBe(false);
  });
});

describe('Security Hub on moto', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(() => moto.stop());

  it('imports an ACTIVE failed finding and archives it once resolved', async () => {
    const config = PublishConfig.parse({ securityhub: { region: 'us-east-1', accountId: '123456789012' } }).securityhub!;
    const publisher = new SecurityHubPublisher(config, moto.clientConfig);
    const client = new SecurityHubClient(moto.clientConfig);
    try {
      const f = finding('EKS-001', 'endpoint');
      await recordScan(store, scan([f]), { targets: ['securityhub'], clock });
      expect(await drainOutbox(store, [publisher], fast())).toMatchObject({ created: 1 });
      const id = `posture/${f.fingerprint}`;
      const get = async () => (await client.send(new GetFindingsCommand({}))).Findings?.find((x) => x.Id === id);
      expect(await get()).toMatchObject({ RecordState: 'ACTIVE', Compliance: { Status: 'FAILED' }, Severity: { Label: 'HIGH' }, Resources: [{ Type: 'AwsEksCluster' }] });
      await recordScan(store, scan([]), { targets: ['securityhub'], clock });
      expect(await drainOutbox(store, [publisher], fast())).toMatchObject({ resolved: 1 });
      expect(await get()).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'PASSED' } });
    } finally {
      publisher.close();
      client.destroy();
    }
  });
});

describe('dry run and configuration', () => {
  it('a dry run lists what would be created and resolved, calls nothing and changes nothing', async () => {
    const jira = await startJira({ clock });
    try {
      const publisher = new JiraPublisher(jiraConfig(jira.url), jira.apiToken);
      await recordScan(store, scan([finding('EKS-001', 'a'), finding('EKS-002', 'b')]), { targets: ['jira'], clock });
      const summary = await drainOutbox(store, [publisher], { dryRun: true });
      expect(summary).toMatchObject({ dryRun: true, created: 2, outbox: { pending: 2 } });
      expect(summary.planned.map((p) => [p.publisher, p.action, p.expected, p.ruleId])).toEqual([
        ['jira', 'create', 'created', expect.any(String)],
        ['jira', 'create', 'created', expect.any(String)],
      ]);
      expect(jira.requests).toHaveLength(0);
    } finally {
      await jira.close();
    }
  });

  it('sends credentials only over https: plain http is refused by key, loopback http only with the test-only option', async () => {
    const secret = { env: 'T' };
    const publish = {
      jira: { baseUrl: 'http://jira.example.com', email: 'e', apiToken: secret, project: 'SEC' },
      servicenow: { instanceUrl: 'http://example.service-now.com', auth: { basic: { username: 'u', password: secret } } },
      webhook: { url: 'http://127.0.0.1:8443/hook', secret },
    };
    const env = { T: 'token-value-1234' };
    await expect(publishersFromConfig(publish, env)).rejects.toThrow(
      /publish\.jira\.baseUrl: must use https.*publish\.servicenow\.instanceUrl: must use https.*publish\.webhook\.url: must use https; plain http to a loopback address is allowed only with publish\.allowLoopbackHttpForTests: true/s,
    );
    // The test-only option admits loopback addresses, nothing else.
    await expect(publishersFromConfig({ ...publish, allowLoopbackHttpForTests: true }, env)).rejects.toThrow(/publish\.jira\.baseUrl: must use https: credentials are sent/);
    const loopbackOnly = { allowLoopbackHttpForTests: true, webhook: publish.webhook, jira: { ...publish.jira, baseUrl: 'http://[::1]:8080' } };
    expect((await publishersFromConfig(loopbackOnly, env)).map((p) => p.name)).toEqual(['jira', 'webhook']);
    expect((await publishersFromConfig({ jira: { ...publish.jira, baseUrl: 'https://x.atlassian.net' } }, env)).map((p) => p.name)).toEqual(['jira']);
    // Through the whole config, as the CLI and the Lambdas load it.
    expect(() => parseConfig({ publish: { webhook: { url: 'http://grc.example.com/hook', secret } } })).toThrow(/publish\.webhook\.url: must use https/);
  });

  it('names the missing secret and refuses secrets written inline in the config', async () => {
    const publish = { jira: { baseUrl: 'https://x.atlassian.net', email: 'e', apiToken: { env: 'JIRA_TOKEN_MISSING' }, project: 'SEC' } };
    await expect(publishersFromConfig(publish, {})).rejects.toThrow('publish.jira.apiToken: environment variable JIRA_TOKEN_MISSING is not set');
    expect(() => PublishConfig.parse({ jira: { ...publish.jira, apiToken: 'plain-token' } })).toThrow();
  });

  it('reads a Secrets Manager reference through the injected loader, picking a JSON key', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:posture/jira';
    const publish = { webhook: { url: 'https://grc.example.com/hook', secret: { secretArn: arn, key: 'hmac' } } };
    const asked: string[] = [];
    const publishers = await publishersFromConfig(publish, {}, { secretLoader: async (a) => (asked.push(a), JSON.stringify({ hmac: 'from-secrets-manager' })) });
    expect(publishers.map((p) => p.name)).toEqual(['webhook']);
    expect(asked).toEqual([arn]);
    await expect(publishersFromConfig({ webhook: { ...publish.webhook, secret: { secretArn: arn, key: 'nope' } } }, {}, { secretLoader: async () => '{}' })).rejects.toThrow(
      /publish.webhook.secret: secret arn:aws:secretsmanager:.* has no string key "nope"/,
    );
  });
});
