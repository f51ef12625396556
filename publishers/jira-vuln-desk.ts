// Jira as a desk for tickets per image and severity band (vuln-tickets.ts): the issue carries the group's
// label, its description (ADF) lists the open findings and is rewritten with PUT /rest/api/3/issue/{key}
// when the list changes; notes are comments; resolve and reopen are the configured workflow transitions.
import type { FindingRecord } from '../core/state/record.ts';
import { send } from './http.ts';
import { type AdfDoc, noteDoc } from './jira-adf.ts';
import { JiraPublisher } from './jira.ts';
import { describeView, type TicketDesk, type TicketView } from './vuln-tickets.ts';

/** Jira refuses descriptions over 32,767 characters. */
const maxDescription = 30_000;

const descriptionOf = (view: TicketView): AdfDoc => noteDoc(describeView(view, maxDescription));

export class JiraVulnDesk extends JiraPublisher implements TicketDesk {
  get searchLagMs(): number {
    return this.config.searchLagMs;
  }

  clock(): number {
    return this.now;
  }

  ticketSlot(label: string): string {
    return this.slotKey(label);
  }

  findTicket(label: string): Promise<string | null> {
    return this.searchLabel(label);
  }

  openTicket(view: TicketView, record: FindingRecord): Promise<string> {
    return this.createIssue(record, view.label, view.title.replace(/\s+/g, ' ').slice(0, 255), descriptionOf(view));
  }

  async refreshTicket(ticket: string, view: TicketView, note: string[] | null): Promise<void> {
    await send(this.http, { method: 'PUT', url: this.url(`/rest/api/3/issue/${encodeURIComponent(ticket)}`), headers: this.headers, body: { fields: { description: descriptionOf(view) } } });
    if (note) await this.comment(ticket, noteDoc(note));
  }

  closeTicket(ticket: string, note: string[]): Promise<boolean> {
    return this.transition(ticket, this.config.doneTransition, 'done', noteDoc(note), this.config.resolution);
  }

  reopenTicket(ticket: string, note: string[]): Promise<boolean> {
    return this.transition(ticket, this.config.reopenTransition, 'open', noteDoc(note));
  }
}
