// A ServiceNow Table API stand-in on loopback: basic auth or OAuth client-credentials tokens,
// encoded queries (`sysparm_query`, with unknown fields silently ignored as the real one does),
// POST / PATCH with the resolve data policy (close_code and close_notes), and 429 with Retry-After.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../core/state/clock.ts';
import { systemClock } from '../../core/state/clock.ts';
import { type FaultOptions, Faults, type Reply, basicAuthOk, serve } from '../publishers/support/standin-http.ts';

export interface ServiceNowStandinOptions {
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
  tables?: string[];
  closeCodes?: string[];
  clock?: Clock;
  tokenTtlSeconds?: number;
  faults?: FaultOptions;
}

export type SnRow = Record<string, string> & { sys_id: string; number: string; state: string };

/** Incident states by value, as an instance's sys_choice lists them. */
export const incidentStates: Record<string, string> = { '1': 'New', '2': 'In Progress', '3': 'On Hold', '6': 'Resolved', '7': 'Closed', '8': 'Canceled' };
const states = new Set(Object.keys(incidentStates));
const columns = new Set(['short_description', 'description', 'urgency', 'impact', 'correlation_id', 'correlation_display', 'state', 'close_code', 'close_notes', 'work_notes', 'assignment_group', 'category', 'active']);
const snError = (status: number, message: string, detail = ''): Reply => ({ status, body: { error: { message, detail }, status: 'failure' } });

export async function startServiceNow(options: ServiceNowStandinOptions = {}) {
  const username = options.username ?? 'posture.integration';
  const password = options.password ?? 'sn-password-xyz789';
  const clientId = options.clientId ?? 'posture-client';
  const clientSecret = options.clientSecret ?? 'sn-client-secret-456';
  const tables = new Set(options.tables ?? ['incident', 'sn_grc_issue']);
  const closeCodes = new Set(options.closeCodes ?? ['Solution provided', 'Workaround provided', 'Resolved by change']);
  const clock = options.clock ?? systemClock;
  const faults = new Faults(clock, options.faults, (retryAt, seconds): Record<string, string> => ({
    'retry-after': String(seconds),
    'x-ratelimit-reset': String(Math.ceil(retryAt / 1000)),
    'x-ratelimit-rule': 'posture-hourly',
  }));
  const rows = new Map<string, SnRow & { table: string; journal: string[]; created: number; history: string[] }>();
  const tokens = new Map<string, number>();
  let counter = 10_000;

  const authorized = (req: IncomingMessage) => {
    if (basicAuthOk(req, username, password)) return true;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    return bearer !== undefined && (tokens.get(bearer) ?? 0) > clock.now();
  };

  function query(table: string, url: URL): Reply {
    const conditions: [string, string][] = [];
    for (const part of (url.searchParams.get('sysparm_query') ?? '').split('^')) {
      if (!part || /^ORDERBY/.test(part)) continue;
      const m = /^([a-z_]+)=(.*)$/.exec(part);
      // Real instances ignore what they cannot parse unless glide.invalid_query.returns_no_rows is set.
      if (!m || !columns.has(m[1]!)) continue;
      conditions.push([m[1]!, m[2]!]);
    }
    const limit = Number(url.searchParams.get('sysparm_limit') ?? '10000');
    const fields = (url.searchParams.get('sysparm_fields') ?? '').split(',').filter(Boolean);
    const hits = [...rows.values()]
      .filter((r) => r.table === table && conditions.every(([k, v]) => (r[k] ?? '') === v))
      .sort((a, b) => a.created - b.created)
      .slice(0, limit)
      .map((r) => (fields.length ? Object.fromEntries(fields.map((f) => [f, r[f] ?? ''])) : publicRow(r)));
    return { status: 200, body: { result: hits }, headers: { 'x-total-count': String(hits.length) } };
  }

  const publicRow = (r: SnRow & { journal: string[] }) => {
    const { journal: _journal, table: _table, created: _created, history: _history, ...row } = r as SnRow & { journal: string[]; table: string; created: number; history: string[] };
    return row;
  };

  function validate(body: Record<string, unknown>, partial: boolean): Reply | null {
    for (const [k, v] of Object.entries(body)) {
      if (typeof v !== 'string') return snError(400, 'Exception while reading request', `${k} must be a string`);
    }
    if (!partial && !body.short_description) return snError(403, 'Operation Failed', 'Data Policy Exception: Short description is mandatory');
    for (const k of ['urgency', 'impact'] as const) if (body[k] !== undefined && !['1', '2', '3'].includes(String(body[k]))) return snError(400, 'Invalid choice', `${k}=${String(body[k])}`);
    if (body.state !== undefined && !states.has(String(body.state))) return snError(400, 'Invalid choice', `state=${String(body.state)}`);
    return null;
  }

  function create(table: string, body: Record<string, unknown>): Reply {
    const problem = validate(body, false);
    if (problem) return problem;
    const sysId = randomBytes(16).toString('hex');
    const prefix = table === 'incident' ? 'INC' : 'IPT';
    const row = {
      ...Object.fromEntries(Object.entries(body).filter(([k]) => columns.has(k) && k !== 'work_notes')),
      sys_id: sysId,
      number: `${prefix}${String(counter++).padStart(7, '0')}`,
      state: '1',
      active: 'true',
      table,
      journal: [] as string[],
      created: clock.now(),
      history: ['created'],
    } as unknown as SnRow & { table: string; journal: string[]; created: number; history: string[] };
    rows.set(sysId, row);
    return { status: 201, body: { result: publicRow(row) } };
  }

  function patch(row: SnRow & { journal: string[]; history: string[] }, body: Record<string, unknown>): Reply {
    const problem = validate(body, true);
    if (problem) return problem;
    const state = body.state !== undefined ? String(body.state) : row.state;
    if (state === '6' || state === '7') {
      const code = String(body.close_code ?? row.close_code ?? '');
      if (!closeCodes.has(code)) return snError(403, 'Operation Failed', `Data Policy Exception: Resolution code is mandatory and must be one of ${[...closeCodes].join(', ')}`);
      if (!String(body.close_notes ?? row.close_notes ?? '')) return snError(403, 'Operation Failed', 'Data Policy Exception: Resolution notes are mandatory');
    }
    if (state !== row.state) row.history.push(incidentStates[state] ?? state);
    for (const [k, v] of Object.entries(body)) {
      if (k === 'work_notes') row.journal.push(String(v));
      else if (columns.has(k)) row[k] = String(v);
    }
    row.active = state === '6' || state === '7' || state === '8' ? 'false' : 'true';
    return { status: 200, body: { result: publicRow(row) } };
  }

  async function route(req: IncomingMessage, url: URL, text: string): Promise<Reply> {
    const method = req.method ?? 'GET';
    if (method === 'POST' && url.pathname === '/oauth_token.do') {
      const form = new URLSearchParams(text);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
        return { status: 401, body: { error: 'access_denied', error_description: 'access_denied' } };
      }
      const token = randomBytes(24).toString('base64url');
      const ttl = options.tokenTtlSeconds ?? 1800;
      tokens.set(token, clock.now() + ttl * 1000);
      return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttl, scope: 'useraccount' } };
    }
    if (!authorized(req)) return snError(401, 'User Not Authenticated', 'Required to provide Auth information');
    const injected = faults.next();
    if (injected) return injected;
    const m = /^\/api\/now\/(?:v2\/)?table\/([a-z_]+)(?:\/([0-9a-f]{32}))?$/.exec(url.pathname);
    if (!m) return snError(400, 'Requested URI does not represent any resource', url.pathname);
    const [, table, sysId] = m;
    if (!tables.has(table!)) return snError(400, `Invalid table ${table}`);
    let body: Record<string, unknown> = {};
    if (text) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return snError(400, 'Exception while reading request', 'The payload is not valid JSON.');
      }
    }
    if (!sysId && method === 'GET') return query(table!, url);
    if (!sysId && method === 'POST') return create(table!, body);
    const row = sysId ? rows.get(sysId) : undefined;
    if (!row || row.table !== table) return snError(404, 'No Record found', 'Record doesn\'t exist or ACL restricts the record retrieval');
    if (method === 'PATCH' || method === 'PUT') return patch(row, body);
    if (method === 'GET') return { status: 200, body: { result: publicRow(row) } };
    return snError(405, 'Method not allowed');
  }

  const started = await serve(route);
  return {
    url: started.url,
    username,
    password,
    clientId,
    clientSecret,
    faults,
    rows: () => [...rows.values()],
    byCorrelation: (fp: string) => [...rows.values()].filter((r) => r.correlation_id === fp),
    /** Lets tests expire every token (as a revoked or rotated secret would). */
    revokeTokens: () => tokens.clear(),
    close: started.close,
  };
}
export type ServiceNowStandin = Awaited<ReturnType<typeof startServiceNow>>;
