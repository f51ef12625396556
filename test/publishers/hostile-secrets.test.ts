// Ticketing credentials configured in posture.yaml (Jira API token, ServiceNow OAuth client secret and the
// access token it buys, the GRC webhook's signing secret) against services that echo them back in error
// bodies in every form a server could: base64 without the scheme, URL-encoded, lower-cased header,
// upper-cased, JSON-escaped, and cut in half by the 300-character excerpt. The CLI runs as a user runs
// it (a process of its own, debug logs on), and nothing it writes (stdout, stderr, logs, the SQLite
// outbox) may hold any form of any of them, or any 10-character piece of one.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Started, serve } from './support/standin-http.ts';

const exec = promisify(execFile);

// Characters that URL- and JSON-encoding change, in values that look like nothing else in the output.
const email = 'posture-bot@example.com';
const jiraToken = 'ATATT3x/Fq9+Zr7kWv2=Lm8pQd4';
const snClientId = 'posture-client';
const snClientSecret = 'Qv7/Wn3+Hk9\\Zt5"Jr2=Pe6';
const snAccessToken = 'eyJ0eXAi.Xq7Kd2Rm9Vw4Tn6+Yb3/Gh8';
const webhookSecret = 'whsec/Jy4Ux8+Kc2Np7=Fm5Sd9';

/** The forms of a value (and of the Basic pair it travels in) that must never come back out. */
function formsOf(value: string, user?: string): string[] {
  return [
    value,
    Buffer.from(value).toString('base64'),
    ...(user ? [Buffer.from(`${user}:${value}`).toString('base64')] : []),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
  ];
}

/** What a hostile server sends back: each form, a lower-cased header carrying it, and the value upper-cased. */
function echoesOf(value: string, user?: string): string[] {
  const header = user ? `authorization: basic ${Buffer.from(`${user}:${value}`).toString('base64')}` : `authorization: bearer ${value}`;
  return [...formsOf(value, user).slice(1), header.toLowerCase(), value.toUpperCase()];
}

/** An error body whose readable part holds every echo, the raw value placed across the 300th character. */
function echoBody(value: string, user?: string): string {
  const messages = echoesOf(value, user).map((e, i) => `echo ${i}: ${e}`);
  const before = messages.join('; ').length + '; '.length + 'pad: '.length;
  const pad = 'x'.repeat(Math.max(0, 300 - 10 - before));
  return JSON.stringify({ errorMessages: messages, errors: { pad: `${pad}${value}` } });
}

function bearer(req: IncomingMessage): string {
  return (req.headers.authorization ?? '').replace(/^Bearer /i, '');
}

let services: Started;
let dir: string;

beforeAll(async () => {
  services = await serve((req, url, body) => {
    // ServiceNow: the token endpoint grants a token; the Table API refuses, echoing what it was sent.
    if (url.pathname === '/oauth_token.do') {
      const form = new URLSearchParams(body);
      if (form.get('client_secret') !== snClientSecret) return { status: 401, body: { error: 'invalid_client' } };
      return { status: 200, body: { access_token: snAccessToken, token_type: 'Bearer', expires_in: 1800 } };
    }
    if (url.pathname.startsWith('/api/now/')) {
      const body = JSON.parse(echoBody(bearer(req))) as { errorMessages: string[]; errors: { pad: string } };
      return { status: 400, body: { error: { message: [...body.errorMessages, echoBody(snClientSecret, snClientId)].join('; '), detail: body.errors.pad } } };
    }
    // Jira: echoes the Basic credentials it was sent.
    if (url.pathname.startsWith('/rest/api/')) {
      const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /i, ''), 'base64').toString('utf8');
      const token = basic.slice(basic.indexOf(':') + 1);
      return { status: 400, body: echoBody(token, email) };
    }
    // A GRC receiver that knows the signing secret and quotes it back.
    if (url.pathname === '/grc/hook') return { status: 400, body: echoBody(webhookSecret) };
    return { status: 404, body: { errorMessages: ['not found'] } };
  });
  dir = mkdtempSync(path.join(tmpdir(), 'posture-hostile-secrets-'));
  writeFileSync(path.join(dir, 'eks.json'), readFileSync(path.resolve('samples/aws/eks-cluster-analytics.json')));
  writeFileSync(
    path.join(dir, 'posture.yaml'),
    [
      'publish:',
      '  allowLoopbackHttpForTests: true',
      '  jira:',
      `    baseUrl: ${services.url}`,
      `    email: ${email}`,
      '    apiToken: { env: POSTURE_TEST_JIRA_TOKEN }',
      '    project: SEC',
      '  servicenow:',
      `    instanceUrl: ${services.url}`,
      '    auth:',
      '      oauth:',
      `        clientId: ${snClientId}`,
      `        clientSecret: { file: ${path.join(dir, 'sn-secret')} }`,
      '  webhook:',
      `    url: ${services.url}/grc/hook`,
      '    secret: { env: POSTURE_TEST_WEBHOOK_SECRET }',
    ].join('\n'),
  );
  writeFileSync(path.join(dir, 'sn-secret'), `${snClientSecret}\n`, { mode: 0o600 });
});
afterAll(async () => services?.close());

describe('configured publisher secrets against services that echo them', () => {
  it('never reach stdout, stderr, the logs or the outbox, in any form or piece', { timeout: 240_000 }, async () => {
    const state = path.join(dir, 'state.db');
    const env = { ...process.env, POSTURE_TEST_JIRA_TOKEN: jiraToken, POSTURE_TEST_WEBHOOK_SECRET: webhookSecret, POSTURE_LOG_LEVEL: 'debug', VITEST: '' };
    const args = ['bin/posture.js', 'scan', '--format', 'json', '--no-history', '--config', path.join(dir, 'posture.yaml'), '--state', state, '--publish', path.join(dir, 'eks.json')];
    const run = await exec(process.execPath, args, { env, maxBuffer: 64 * 1024 * 1024 }).catch((err: { stdout: string; stderr: string; code: number }) => err);
    // Deliveries refused: the run says so with its own exit code (4), after reading and recording everything.
    expect([('code' in run ? run.code : 0), run.stderr.slice(0, 2000)]).toEqual([4, expect.any(String)]);
    const db = new Database(state, { readonly: true });
    const stored = db.prepare('SELECT target, last_error FROM outbox').all() as { target: string; last_error: string | null }[];
    db.close();

    // The services were reached and refused: each target's stored error says so, and the logs say so.
    for (const target of ['jira', 'servicenow', 'webhook']) {
      expect(stored.find((r) => r.target === target && /HTTP 400/.test(r.last_error ?? ''))?.last_error, target).toBeTruthy();
    }
    expect(run.stderr).toMatch(/delivery failed/);

    const haystack = [run.stdout, run.stderr, ...stored.map((r) => r.last_error ?? ''), readFileSync(state).toString('latin1')].join('\n').toLowerCase();
    for (const [name, value, user] of [
      ['jira api token', jiraToken, email],
      ['servicenow client secret', snClientSecret, snClientId],
      ['servicenow access token', snAccessToken, undefined],
      ['webhook secret', webhookSecret, undefined],
    ] as const) {
      for (const form of formsOf(value, user)) {
        const lower = form.toLowerCase();
        for (let i = 0; i + 10 <= lower.length; i++) {
          const piece = lower.slice(i, i + 10);
          expect(haystack.includes(piece), `${name}: "${piece}" of ${form}`).toBe(false);
        }
      }
    }
  });
});
