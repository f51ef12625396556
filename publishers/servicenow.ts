// ServiceNow Table API: one incident (or GRC issue) per finding, deduplicated by correlation_id =
// fingerprint, updated with work notes, resolved with the configured state and close code.
import { z } from 'zod';
import type { FindingRecord } from '../core/state/record.ts';
import type { ServiceNowConfig } from './config.ts';
import { secrets } from '../core/redact.ts';
import { type HttpOptions, sendJson } from './http.ts';
import { DeliveryError, type PublishContext, type Publisher } from './publisher.ts';
import { resolvedReason } from './resolved-reason.ts';

const Row = z.object({ sys_id: z.string().min(1) });
const QueryResult = z.object({ result: z.array(Row) });
const OneRow = z.object({ result: Row });
const Token = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive().default(1800) });

export type ServiceNowCredentials = { kind: 'basic'; username: string; password: string } | { kind: 'oauth'; clientId: string; clientSecret: string };

function describe(record: FindingRecord): string {
  const f = record.finding;
  const controls = Object.entries(f.frameworks).map(([fw, ids]) => `  ${fw}: ${ids.join(', ')}`);
  const evidence = JSON.stringify(f.evidence ?? null, null, 2) ?? 'null';
  return [
    f.message,
    '',
    `Asset: ${f.assetId} (${f.provider}, account ${f.account || '-'}, region ${f.region || '-'})`,
    `Rule: ${f.ruleId} · severity ${f.severity} · fingerprint ${record.fingerprint}`,
    `Path: ${f.path}`,
    'Evidence:',
    evidence.length > 20_000 ? `${evidence.slice(0, 20_000)}\n… (truncated)` : evidence,
    'Controls:',
    ...(controls.length ? controls : ['  none']),
    `Remediation: ${f.remediation}`,
  ].join('\n');
}

export class ServiceNowPublisher implements Publisher {
  readonly name = 'servicenow';
  readonly #credentials: ServiceNowCredentials;
  #token: { value: string; expiresAt: number } | null = null;
  private readonly http: HttpOptions;
  protected readonly now: () => number;

  constructor(
    protected readonly config: ServiceNowConfig,
    credentials: ServiceNowCredentials,
    options: { timeoutMs?: number; now?: () => number } = {},
  ) {
    this.#credentials = credentials;
    this.now = options.now ?? Date.now;
    // Scrubbed from errors and logs in every form; the access token too, once granted (below).
    if (credentials.kind === 'basic') secrets.add(credentials.password, credentials.username);
    else secrets.add(credentials.clientSecret, credentials.clientId);
    this.http = { publisher: 'servicenow', ...options };
  }

  private url(path: string, query?: Record<string, string>): string {
    const url = new URL(path, this.config.instanceUrl);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    return url.toString();
  }

  private async authorization(): Promise<string> {
    const c = this.#credentials;
    if (c.kind === 'basic') return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
    if (!this.#token || this.#token.expiresAt <= this.now()) {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.clientSecret });
      const token = await sendJson(
        this.http,
        { method: 'POST', url: this.url('/oauth_token.do'), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
        Token,
      );
      secrets.add(token.access_token);
      // Refresh a minute early so a token never expires mid-request.
      this.#token = { value: token.access_token, expiresAt: this.now() + Math.max(0, token.expires_in - 60) * 1000 };
    }
    return `Bearer ${this.#token.value}`;
  }

  /** Sends with auth; an OAuth token the server no longer accepts is replaced once. */
  protected async call<T extends z.ZodType>(method: 'GET' | 'POST' | 'PATCH', url: string, schema: T, body?: unknown): Promise<z.infer<T>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await sendJson(this.http, { method, url, headers: { authorization: await this.authorization() }, body }, schema);
      } catch (err) {
        if (attempt === 0 && this.#credentials.kind === 'oauth' && err instanceof DeliveryError && err.status === 401) {
          this.#token = null;
          continue;
        }
        throw err;
      }
    }
  }

  protected tableUrl(sysId?: string, query?: Record<string, string>): string {
    return this.url(`/api/now/table/${this.config.table}${sysId ? `/${encodeURIComponent(sysId)}` : ''}`, query);
  }

  async find(ctx: PublishContext): Promise<string | null> {
    // Fingerprints are hex, so they cannot smuggle `^` operators into the encoded query.
    const query = { sysparm_query: `correlation_id=${ctx.record.fingerprint}^ORDERBYsys_created_on`, sysparm_fields: 'sys_id,number,state', sysparm_limit: '1' };
    const { result } = await this.call('GET', this.tableUrl(undefined, query), QueryResult);
    return result[0]?.sys_id ?? null;
  }

  async create(ctx: PublishContext): Promise<string> {
    const { record } = ctx;
    const f = record.finding;
    const body = {
      ...this.config.fields,
      short_description: `[posture] ${f.ruleId}: ${f.title}`.slice(0, 160),
      description: describe(record),
      urgency: this.config.urgency[f.severity],
      impact: this.config.impact[f.severity],
      correlation_id: record.fingerprint,
      correlation_display: 'posture',
    };
    const { result } = await this.call('POST', this.tableUrl(), OneRow, body);
    return result.sys_id;
  }

  async update(ctx: PublishContext, ticket: string): Promise<void> {
    const { record } = ctx;
    await this.call('PATCH', this.tableUrl(ticket), OneRow, {
      description: describe(record),
      work_notes: `posture saw this finding again in scan ${record.lastScanId} (${record.lastSeen}); the evidence changed.`,
    });
  }

  async resolve(ctx: PublishContext, ticket: string): Promise<void> {
    const { record } = ctx;
    await this.call('PATCH', this.tableUrl(ticket), OneRow, { state: this.config.resolve.state, close_code: this.config.resolve.closeCode, close_notes: resolvedReason(record) });
  }

  async reopen(ctx: PublishContext, ticket: string): Promise<void> {
    const { record } = ctx;
    await this.call('PATCH', this.tableUrl(ticket), OneRow, {
      state: this.config.reopenState,
      description: describe(record),
      work_notes: `posture detects this finding again (scan ${record.lastScanId}, ${record.lastSeen}).`,
    });
  }
}

