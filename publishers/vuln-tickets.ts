// Vulnerability findings as one ticket per image and severity band. IMG-003 makes one finding per (image,
// vulnerability, package) and REG-002 one per registry-scanner finding, so an ordinary base image would open
// dozens of Jira issues or incidents, one per CVE. By default (`vulnerabilityTickets: image-severity`)
// every such finding of one image repository with one severity joins a single ticket that lists them:
//  - its key is stable: the image (registry/repository, so every digest of it shares the ticket) and the band;
//  - its description is rewritten with the open CVEs whenever the set changes, with a note saying what changed;
//  - it is resolved when the band's last finding is fixed, reopened when one comes back;
//  - a finding whose severity changed leaves its old band's ticket and joins the new one.
// Membership is a shared value under a lease (publishers/shared-lease.ts), so two drainers never both create,
// and a create whose answer was lost is found again by the ticket's marker (jira-lost-create.ts).
// Other findings go to the per-finding publisher unchanged.
import { z } from 'zod';
import { sha256 } from '../core/canonical.ts';
import type { FindingRecord, PublishAction } from '../core/state/record.ts';
import { IssueSlot, type SaveSlot, createMarked, emptySlot, locateIssue, withIssueSlot } from './jira-lost-create.ts';
import { applyToTicket, DeliveryError, type PublishContext, type Publisher, type ReconcileResult } from './publisher.ts';
import { resolvedReason } from './resolved-reason.ts';

/** Rules whose findings are vulnerabilities of an image (one finding per vulnerability and package). */
export const vulnerabilityRules: ReadonlySet<string> = new Set(['IMG-003', 'REG-002']);
const bands = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Band = (typeof bands)[number];

/** Open findings kept per ticket (the shared value stays well under DynamoDB's 400 KB item limit). */
export const maxOpenPerTicket = 5_000;
/** Findings listed by name in the description; the rest are counted. */
const maxListed = 150;
const maxLine = 200;

export interface VulnGroup {
  /** `registry/repository` of the image: every digest of it shares the ticket. */
  image: string;
  band: Band;
}

/** The group a vulnerability finding belongs to, or null for any other finding. */
export function vulnGroupOf(record: FindingRecord): VulnGroup | null {
  const f = record.finding;
  if (!vulnerabilityRules.has(record.ruleId) || f.assetKind !== 'image') return null;
  return { image: f.assetId.replace(/^oci:\/\//, '').replace(/@sha256:[0-9a-f]{64}$/, ''), band: f.severity };
}

/** The ticket's marker (Jira label, ServiceNow correlation_id): stable for (scope, image, band). */
export function vulnGroupLabel(scope: string, group: VulnGroup): string {
  return `vuln-${sha256(JSON.stringify([scope, group.image, group.band])).slice(0, 24)}`;
}

/** What a ticket shows: its title and the open findings, one line each. */
export interface TicketView {
  label: string;
  group: VulnGroup;
  title: string;
  /** Open findings, sorted; at most maxListed. */
  lines: string[];
  open: number;
}

/** A ticketing system as the grouped tickets use it. */
export interface TicketDesk {
  readonly name: string;
  /** How long a new ticket may stay missing from search (0 where reads are consistent). */
  readonly searchLagMs: number;
  clock(): number;
  /** The key of the shared value holding the ticket behind a marker. */
  ticketSlot(label: string): string;
  /** The oldest ticket carrying the marker, or null. */
  findTicket(label: string): Promise<string | null>;
  openTicket(view: TicketView, record: FindingRecord): Promise<string>;
  /** Rewrites the list of open findings; adds the note (a comment / work note) when given. */
  refreshTicket(ticket: string, view: TicketView, note: string[] | null): Promise<void>;
  /** Resolves with the note; false when it already was (nothing changed). */
  closeTicket(ticket: string, note: string[]): Promise<boolean>;
  /** Reopens with the note; false when it already was open (nothing changed). */
  reopenTicket(ticket: string, note: string[]): Promise<boolean>;
}

const State = IssueSlot.extend({
  /** Open findings: fingerprint prefix → the line listed for it. */
  open: z.record(z.string(), z.string()),
});
type State = z.infer<typeof State>;

const memberId = (fingerprint: string) => fingerprint.slice(0, 16);

/** One line per finding: what, where (the digest, since a ticket spans the repository's digests) and the fix. */
export function lineOf(record: FindingRecord): string {
  const f = record.finding;
  const digest = /@sha256:([0-9a-f]{12})/.exec(f.assetId)?.[1];
  return `${f.message}${digest ? ` [sha256:${digest}]` : ''}`.replace(/\s+/g, ' ').slice(0, maxLine);
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export class GroupedVulnerabilityTickets implements Publisher {
  readonly name: string;

  /**
   * `scope`: what else makes a ticket unique for this desk (the Jira project, the ServiceNow table), so two
   * deployments writing to different projects never share a marker.
   */
  constructor(
    private readonly desk: TicketDesk,
    private readonly perFinding: Publisher,
    private readonly scope: string,
  ) {
    this.name = perFinding.name;
    if (desk.name !== perFinding.name) throw new Error(`ticket desk ${desk.name} does not match publisher ${perFinding.name}`);
  }

  ticketGroupOf(record: FindingRecord): string | undefined {
    const group = vulnGroupOf(record);
    return group ? vulnGroupLabel(this.scope, group) : this.perFinding.ticketGroupOf?.(record);
  }

  find(ctx: PublishContext) {
    return this.perFinding.find(ctx);
  }
  create(ctx: PublishContext) {
    return this.perFinding.create(ctx);
  }
  update(ctx: PublishContext, ticket: string) {
    return this.perFinding.update(ctx, ticket);
  }
  resolve(ctx: PublishContext, ticket: string) {
    return this.perFinding.resolve(ctx, ticket);
  }
  reopen(ctx: PublishContext, ticket: string) {
    return this.perFinding.reopen(ctx, ticket);
  }

  async reconcile(action: PublishAction, ctx: PublishContext): Promise<ReconcileResult> {
    const group = vulnGroupOf(ctx.record);
    if (!group) return reconcileWith(this.perFinding, action, ctx);
    if (!ctx.shared) throw new DeliveryError(`${this.name}: tickets per image and severity need a state store that supports shared leases`, false);
    const shared = ctx.shared;
    // A finding seen again may have changed severity: it leaves the ticket of any other band first.
    if (action === 'update' || action === 'reopen') {
      for (const band of bands) {
        if (band === group.band) continue;
        const other = { ...group, band };
        const label = vulnGroupLabel(this.scope, other);
        await withIssueSlot(shared, this.desk.ticketSlot(label), State, empty, (state) => this.leave(ctx.record, label, other, state, `Its severity is now ${group.band}: it moved to the ${group.band} ticket of this image.`));
      }
    }
    const label = vulnGroupLabel(this.scope, group);
    return withIssueSlot(shared, this.desk.ticketSlot(label), State, empty, (state, save) => this.apply(action, ctx.record, label, group, state, save));
  }

  private view(label: string, group: VulnGroup, state: State): TicketView {
    const all = Object.values(state.open).sort();
    return { label, group, title: `[posture] ${group.band} vulnerabilities in ${group.image}`, lines: all.slice(0, maxListed), open: all.length };
  }

  /** Takes a finding off a ticket it no longer belongs to; resolves the ticket when it was the last. */
  private async leave(record: FindingRecord, label: string, group: VulnGroup, state: State, why: string): Promise<ReconcileResult> {
    const id = memberId(record.fingerprint);
    if (state.issue === null || !(id in state.open)) return { outcome: 'unchanged', ticket: state.issue };
    const line = state.open[id]!;
    delete state.open[id];
    const remaining = Object.keys(state.open).length;
    const note = [`No longer open here: ${line}`, why, remaining ? `${plural(remaining, 'vulnerability finding')} of this ticket remain open.` : 'No vulnerability finding of this ticket remains open.'];
    if (remaining > 0) {
      await this.desk.refreshTicket(state.issue, this.view(label, group, state), note);
      return { outcome: 'updated', ticket: state.issue };
    }
    await this.desk.refreshTicket(state.issue, this.view(label, group, state), null);
    const moved = await this.desk.closeTicket(state.issue, note);
    return { outcome: moved ? 'resolved' : 'updated', ticket: state.issue };
  }

  private async apply(action: PublishAction, record: FindingRecord, label: string, group: VulnGroup, state: State, save: SaveSlot): Promise<ReconcileResult> {
    const now = this.desk.clock();
    await locateIssue(state, { label, what: `of ${group.band} vulnerabilities in ${group.image}`, searchLagMs: this.desk.searchLagMs, now, search: (l) => this.desk.findTicket(l) });
    const id = memberId(record.fingerprint);
    const member = id in state.open;
    const line = lineOf(record);

    if (action === 'resolve') {
      if (state.issue === null) return { outcome: 'unchanged', ticket: null };
      return this.leave(record, label, group, state, resolvedReason(record));
    }

    if (state.issue === null) {
      // Kept before the create, so a create whose answer is lost still counts this finding once found again.
      state.open[id] = line;
      const ticket = await createMarked(state, save, now, () => this.desk.openTicket(this.view(label, group, state), record));
      return { outcome: 'created', ticket };
    }
    const issue = state.issue;
    if (member && action === 'create') return { outcome: 'unchanged', ticket: issue }; // a retry of a join that went through
    if (!member && Object.keys(state.open).length >= maxOpenPerTicket) {
      throw new DeliveryError(`${this.name}: the ${group.band} ticket of ${group.image} already has ${maxOpenPerTicket} open findings`, false);
    }
    const wasEmpty = Object.keys(state.open).length === 0;
    state.open[id] = line;
    const view = this.view(label, group, state);
    const headline =
      action === 'update' ? `Changed (scan ${record.lastScanId}): ${line}`
      : action === 'reopen' || wasEmpty ? `Found again (scan ${record.lastScanId}): ${line}`
      : `New (scan ${record.lastScanId}): ${line}`;
    const note = [headline, `${plural(view.open, 'vulnerability finding')} of this ticket open.`];
    if (wasEmpty && (await this.desk.reopenTicket(issue, note))) {
      await this.desk.refreshTicket(issue, view, null);
      return { outcome: 'reopened', ticket: issue };
    }
    await this.desk.refreshTicket(issue, view, note);
    return { outcome: 'updated', ticket: issue };
  }
}

const empty = (): State => ({ ...emptySlot(), open: {} });

/** What the drain does for a publisher that does not reconcile itself: find or create, then apply. */
export async function reconcileWith(publisher: Publisher, action: PublishAction, ctx: PublishContext): Promise<ReconcileResult> {
  if (publisher.reconcile) return publisher.reconcile(action, ctx);
  const ticket = ctx.record.tickets[publisher.name] ?? (await publisher.find(ctx));
  if (!ticket) {
    if (action === 'resolve') return { outcome: 'unchanged', ticket: null };
    return { outcome: 'created', ticket: await publisher.create(ctx) };
  }
  return applyToTicket(publisher, action, ctx, ticket);
}

/** The ticket's description as plain lines, at most `maxChars` in all (each desk renders them its own way). */
export function describeView(view: TicketView, maxChars: number): string[] {
  const head = [
    `posture keeps every ${view.group.band} vulnerability finding of ${view.group.image} (all its digests) on this ticket: ${plural(view.open, 'open finding')}.`,
    'It is updated when the list changes, resolved when the last one is fixed and reopened when one comes back.',
  ];
  if (view.open === 0) return [...head, 'None open.'];
  const out = [...head, 'Open:'];
  let used = out.join('\n').length + 40;
  let listed = 0;
  for (const line of view.lines) {
    if (used + line.length + 3 > maxChars) break;
    out.push(`- ${line}`);
    used += line.length + 3;
    listed++;
  }
  if (view.open > listed) out.push(`… and ${view.open - listed} more`);
  return out;
}
