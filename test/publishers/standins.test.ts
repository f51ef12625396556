// The stand-ins must refuse what the real services refuse, or the publisher tests prove nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/state/clock.ts';
import { type JiraStandin, startJira } from '../standins/jira.ts';
import { type ServiceNowStandin, startServiceNow } from '../standins/servicenow.ts';

const clock = new ManualClock();
let jira: JiraStandin;
let sn: ServiceNowStandin;
beforeAll(async () => {
  jira = await startJira({ clock, searchLagMs: 1_000, maxPageSize: 2 });
  sn = await startServiceNow({ clock });
});
afterAll(async () => {
  await jira.close();
  await sn.close();
});

const auth = () => `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`;
const call = (path: string, init: { method?: string; body?: unknown; authorization?: string } = {}) =>
  fetch(`${jira.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: init.authorization ?? auth(), 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
const doc = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });
const fields = (extra: Record<string, unknown> = {}) => ({ project: { key: 'SEC' }, issuetype: { name: 'Bug' }, summary: 's', description: doc('d'), labels: ['posture', 'fp-1'], ...extra });

describe('Jira stand-in', () => {
  it('refuses wrong credentials', async () => {
    expect((await call('/rest/api/3/search/jql?jql=', { authorization: 'Basic bm9wZTpub3Bl' })).status).toBe(401);
  });

  it('refuses labels with spaces, plain-text descriptions, empty text nodes and unknown fields', async () => {
    const cases = [fields({ labels: ['has space'] }), fields({ description: 'plain text' }), fields({ description: doc('') }), fields({ customfield_1: 'x' }), fields({ summary: 'a\nb' })];
    for (const f of cases) expect((await call('/rest/api/3/issue', { method: 'POST', body: { fields: f } })).status).toBe(400);
    expect((await call('/rest/api/3/issue', { method: 'POST', body: { fields: fields() } })).status).toBe(201);
  });

  it('hides new issues from search for a moment, then pages with nextPageToken', async () => {
    for (let i = 0; i < 2; i++) await call('/rest/api/3/issue', { method: 'POST', body: { fields: fields({ labels: ['posture', 'page'] }) } });
    const bad = (await (await call(`/rest/api/3/search/jql?jql=${encodeURIComponent('labels = "page" OR x')}`)).json()) as unknown;
    expect(bad).toMatchObject({ errorMessages: [expect.stringMatching(/cannot parse/)] });
    const q = (token?: string) => call(`/rest/api/3/search/jql?jql=${encodeURIComponent('labels = posture ORDER BY created ASC')}&maxResults=50${token ? `&nextPageToken=${token}` : ''}`);
    expect(((await (await q()).json()) as { issues: unknown[] }).issues).toHaveLength(0);
    clock.advance(1_000);
    const first = (await (await q()).json()) as { issues: unknown[]; nextPageToken?: string; isLast: boolean };
    expect(first).toMatchObject({ isLast: false });
    expect(first.issues).toHaveLength(2); // the page size cap, whatever maxResults asked
    const second = (await (await q(first.nextPageToken)).json()) as { issues: unknown[]; isLast: boolean };
    expect(second).toMatchObject({ isLast: true, issues: [expect.anything()] });
    expect((await q('forged-token')).status).toBe(400);
    expect((await call('/rest/api/3/search?jql=')).status).toBe(410);
  });

  it('allows only the transitions of the current status', async () => {
    const key = jira.issues()[0]!.key;
    expect((await call(`/rest/api/3/issue/${key}/transitions`, { method: 'POST', body: { transition: { id: '41' } } })).status).toBe(400);
    expect((await call(`/rest/api/3/issue/${key}/transitions`, { method: 'POST', body: { transition: { id: '31' } } })).status).toBe(204);
    expect(jira.statusOf(jira.issues()[0]!)).toBe('Done');
  });

  it('keeps refusing with 429 until the announced wait is over', async () => {
    jira.faults.rate = 1;
    const limited = await call('/rest/api/3/search/jql?jql=');
    jira.faults.rate = 0;
    if (limited.status === 429) {
      expect(limited.headers.get('retry-after') ?? limited.headers.get('x-ratelimit-reset')).toBeTruthy();
      expect((await call('/rest/api/3/search/jql?jql=')).status).toBe(429);
      expect(jira.faults.earlyRetries).toBe(1);
      clock.advance(2_000);
    } else {
      expect([500, 502, 503, 504]).toContain(limited.status);
    }
    expect((await call('/rest/api/3/search/jql?jql=')).status).toBe(200);
  });
});

describe('ServiceNow stand-in', () => {
  const basic = () => `Basic ${Buffer.from(`${sn.username}:${sn.password}`).toString('base64')}`;
  const snCall = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${sn.url}${path}`, { method, headers: { authorization: basic(), 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('filters by correlation_id and, like the real one, ignores query parts it cannot parse', async () => {
    await snCall('/api/now/table/incident', 'POST', { short_description: 'a', correlation_id: 'fp-a' });
    await snCall('/api/now/table/incident', 'POST', { short_description: 'b', correlation_id: 'fp-b' });
    const get = async (q: string) => ((await (await snCall(`/api/now/table/incident?sysparm_query=${encodeURIComponent(q)}`)).json()) as { result: unknown[] }).result;
    expect(await get('correlation_id=fp-a')).toHaveLength(1);
    expect(await get('correlaton_id=fp-a')).toHaveLength(2);
  });

  it('enforces the resolve data policy and unknown tables', async () => {
    const [row] = sn.rows();
    expect((await snCall(`/api/now/table/incident/${row!.sys_id}`, 'PATCH', { state: '6' })).status).toBe(403);
    expect((await snCall(`/api/now/table/incident/${row!.sys_id}`, 'PATCH', { state: '6', close_code: 'Solution provided', close_notes: 'n' })).status).toBe(200);
    expect((await snCall('/api/now/table/sys_user')).status).toBe(400);
    expect((await fetch(`${sn.url}/api/now/table/incident`)).status).toBe(401);
  });
});
