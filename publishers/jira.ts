// Jira Cloud REST v3: one issue per finding, found again by its `fp-<fingerprint>` label, commented
// on recurrence, moved through the workflow by transition name. Until the issue's key is in the
// finding record, creating runs through jira-lost-create.ts, so a create whose answer was lost is
// waited for (search lags) rather than made twice. jira-group.ts builds on this class for one issue
// per rule × asset group.
import { z } from 'zod';
import type { FindingRecord, PublishAction } from '../core/state/record.ts';
import type { JiraConfig } from './config.ts';
import { secrets } from '../core/redact.ts';
import { type HttpOptions, send, sendJson } from './http.ts';
import { type AdfDoc, evidenceText, findingDescription, noteDoc } from './jira-adf.ts';
import { IssueSlot, createMarked, emptySlot, locateIssue, withIssueSlot } from './jira-lost-create.ts';
import { applyToTicket, DeliveryError, type PublishContext, type Publisher, type ReconcileResult } from './publisher.ts';
import { resolvedReason } from './resolved-reason.ts';

const CreatedIssue = z.object({ id: z.string(), key: z.string() });
const SearchPage = z.object({
  issues: z.array(z.object({ id: z.string(), key: z.string().optional() })),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});
const Transitions = z.object({ transitions: z.array(z.object({ id: z.string(), name: z.string() })) });
const IssueStatus = z.object({ fields: z.object({ status: z.object({ name: z.string(), statusCategory: z.object({ key: z.string() }) }) }) });

/** Search pages are bounded so a label stuffed onto thousands of issues cannot stall a drain. */
const maxSearchPages = 20;

export const fingerprintLabel = (fingerprint: string) => `fp-${fingerprint}`;

export function summaryOf(record: FindingRecord): string {
  const f = record.finding;
  const name = f.assetId.split('/').filter(Boolean).pop() ?? f.assetId;
  // Summaries are single-line and at most 255 characters.
  return `[posture] ${f.ruleId}: ${f.title} (${name})`.replace(/\s+/g, ' ').slice(0, 255);
}

export { resolvedReason };

export class JiraPublisher implements Publisher {
  readonly name = 'jira';
  readonly #auth: string;
  protected readonly http: HttpOptions;

  constructor(
    protected readonly config: JiraConfig,
    apiToken: string,
    options: { timeoutMs?: number; now?: () => number } = {},
  ) {
    this.#auth = `Basic ${Buffer.from(`${config.email}:${apiToken}`).toString('base64')}`;
    // Every form of the token, and of the email:token pair the Basic header carries, is scrubbed from errors and logs.
    secrets.add(apiToken, config.email);
    this.http = { publisher: 'jira', ...options };
  }

  protected url(path: string, query?: Record<string, string>): string {
    const url = new URL(path, this.config.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    return url.toString();
  }

  protected get headers() {
    return { authorization: this.#auth };
  }

  /** The key of a shared value holding the issue found by `label` (see jira-lost-create.ts). */
  protected slotKey(label: string): string {
    return `jira#${this.config.project}#${label}`;
  }

  protected get now(): number {
    return (this.http.now ?? Date.now)();
  }

  async reconcile(action: PublishAction, ctx: PublishContext): Promise<ReconcileResult> {
    const known = ctx.record.tickets[this.name];
    if (known) return applyToTicket(this, action, ctx, known);
    if (!ctx.shared) throw new DeliveryError('jira: creating issues needs a state store that supports shared leases', false);
    const label = fingerprintLabel(ctx.record.fingerprint);
    return withIssueSlot(ctx.shared, this.slotKey(label), IssueSlot, emptySlot, async (slot, save) => {
      const now = this.now;
      const found = await locateIssue(slot, { label, what: `of finding ${ctx.record.fingerprint}`, searchLagMs: this.config.searchLagMs, now, search: (l) => this.searchLabel(l) });
      if (found.issue === null) {
        if (action === 'resolve') return { outcome: 'unchanged', ticket: null };
        return { outcome: 'created', ticket: await createMarked(slot, save, now, () => this.create(ctx)) };
      }
      // Our own create went through; only its answer was lost.
      if (found.recovered && action === 'create') return { outcome: 'created', ticket: found.issue };
      return applyToTicket(this, action, ctx, found.issue);
    });
  }

  find(ctx: PublishContext): Promise<string | null> {
    return this.searchLabel(fingerprintLabel(ctx.record.fingerprint));
  }

  /** The oldest issue of the project carrying `label`, or null. */
  protected async searchLabel(label: string): Promise<string | null> {
    const jql = `project = "${this.config.project}" AND labels = "${label}" ORDER BY created ASC`;
    let token: string | null | undefined;
    for (let page = 0; page < maxSearchPages; page++) {
      const query: Record<string, string> = { jql, fields: 'status', maxResults: '50' };
      if (token) query.nextPageToken = token;
      const result = await sendJson(this.http, { method: 'GET', url: this.url('/rest/api/3/search/jql', query), headers: this.headers }, SearchPage);
      // Ordered by creation: the first hit is the original, later ones are someone's duplicates.
      const first = result.issues[0];
      if (first) return first.key ?? first.id;
      token = result.nextPageToken;
      if (!token || result.isLast) break;
    }
    return null;
  }

  create(ctx: PublishContext): Promise<string> {
    const { record } = ctx;
    return this.createIssue(record, fingerprintLabel(record.fingerprint), summaryOf(record), findingDescription(record));
  }

  /** Creates an issue with the configured fields; `key` is the label it is found again by. */
  protected async createIssue(record: FindingRecord, key: string, summary: string, description: AdfDoc): Promise<string> {
    const labels = ['posture', key, `rule-${record.ruleId}`, `severity-${record.finding.severity}`, ...this.config.labels];
    const fields: Record<string, unknown> = {
      project: { key: this.config.project },
      issuetype: { name: this.config.issueType },
      summary,
      description,
      labels: labels.map((l) => l.replace(/\s+/g, '-')),
      priority: { name: this.config.priorities[record.finding.severity] },
      ...this.config.customFields,
    };
    if (this.config.components.length) fields.components = this.config.components.map((name) => ({ name }));
    const created = await sendJson(this.http, { method: 'POST', url: this.url('/rest/api/3/issue'), headers: this.headers, body: { fields } }, CreatedIssue);
    return created.key;
  }

  async update(ctx: PublishContext, ticket: string): Promise<void> {
    const { record } = ctx;
    const body = noteDoc([`posture saw this finding again in scan ${record.lastScanId} (${record.lastSeen}); the evidence changed.`, record.finding.message], evidenceText(record));
    await this.comment(ticket, body);
  }

  protected async comment(ticket: string, body: AdfDoc): Promise<void> {
    await send(this.http, { method: 'POST', url: this.url(`/rest/api/3/issue/${encodeURIComponent(ticket)}/comment`), headers: this.headers, body: { body } });
  }

  async resolve(ctx: PublishContext, ticket: string): Promise<void> {
    await this.transition(ticket, this.config.doneTransition, 'done', noteDoc([resolvedReason(ctx.record)]), this.config.resolution);
  }

  async reopen(ctx: PublishContext, ticket: string): Promise<void> {
    const note = noteDoc([`posture detects this finding again (scan ${ctx.record.lastScanId}, ${ctx.record.lastSeen}).`, ctx.record.finding.message], evidenceText(ctx.record));
    await this.transition(ticket, this.config.reopenTransition, 'open', note);
  }

  /**
   * Moves the issue by transition name, with the comment in the same request; no-op (false, and no
   * comment) when the issue is already there.
   */
  protected async transition(ticket: string, name: string, goal: 'done' | 'open', comment: AdfDoc, resolution?: string): Promise<boolean> {
    const path = `/rest/api/3/issue/${encodeURIComponent(ticket)}/transitions`;
    const { transitions } = await sendJson(this.http, { method: 'GET', url: this.url(path), headers: this.headers }, Transitions);
    const match = transitions.find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (!match) {
      const issue = await sendJson(this.http, { method: 'GET', url: this.url(`/rest/api/3/issue/${encodeURIComponent(ticket)}`, { fields: 'status' }), headers: this.headers }, IssueStatus);
      const isDone = issue.fields.status.statusCategory.key === 'done';
      if ((goal === 'done') === isDone) return false; // a retry after the transition went through
      throw new DeliveryError(
        `jira: issue ${ticket} in status "${issue.fields.status.name}" has no transition named "${name}" (available: ${transitions.map((t) => t.name).join(', ') || 'none'})`,
        false,
      );
    }
    const body: Record<string, unknown> = { transition: { id: match.id }, update: { comment: [{ add: { body: comment } }] } };
    if (resolution) body.fields = { resolution: { name: resolution } };
    await send(this.http, { method: 'POST', url: this.url(path), headers: this.headers, body });
    return true;
  }
}
