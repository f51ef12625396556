// ServiceNow as a desk for tickets per image and severity band (vuln-tickets.ts): one incident (or GRC
// issue) whose correlation_id is the group's marker, its description listing the open findings, notes as
// work notes, resolved with the configured state and close code, reopened with the configured state.
// Table API reads are consistent, so a create whose answer was lost is found at once (no search lag).
import { z } from 'zod';
import type { FindingRecord } from '../core/state/record.ts';
import { ServiceNowPublisher } from './servicenow.ts';
import { describeView, type TicketDesk, type TicketView } from './vuln-tickets.ts';

const Row = z.object({ sys_id: z.string().min(1) });
const Rows = z.object({ result: z.array(Row) });
const OneRow = z.object({ result: Row });
const StateRow = z.object({ result: z.object({ state: z.string() }) });

/** The incident description column holds 4,000 characters by default. */
const maxDescription = 4_000;

export class ServiceNowVulnDesk extends ServiceNowPublisher implements TicketDesk {
  readonly searchLagMs = 0;

  clock(): number {
    return this.now();
  }

  ticketSlot(label: string): string {
    return `servicenow#${this.config.table}#${label}`;
  }

  async findTicket(label: string): Promise<string | null> {
    // Markers are `vuln-` and hex, so they cannot smuggle `^` operators into the encoded query.
    const query = { sysparm_query: `correlation_id=${label}^ORDERBYsys_created_on`, sysparm_fields: 'sys_id', sysparm_limit: '1' };
    const { result } = await this.call('GET', this.tableUrl(undefined, query), Rows);
    return result[0]?.sys_id ?? null;
  }

  async openTicket(view: TicketView, _record: FindingRecord): Promise<string> {
    const band = view.group.band;
    const body = {
      ...this.config.fields,
      short_description: view.title.slice(0, 160),
      description: describeView(view, maxDescription).join('\n'),
      urgency: this.config.urgency[band],
      impact: this.config.impact[band],
      correlation_id: view.label,
      correlation_display: 'posture',
    };
    const { result } = await this.call('POST', this.tableUrl(), OneRow, body);
    return result.sys_id;
  }

  async refreshTicket(ticket: string, view: TicketView, note: string[] | null): Promise<void> {
    await this.call('PATCH', this.tableUrl(ticket), OneRow, { description: describeView(view, maxDescription).join('\n'), ...(note ? { work_notes: note.join('\n') } : {}) });
  }

  private async resolved(ticket: string): Promise<boolean> {
    const { result } = await this.call('GET', this.tableUrl(ticket, { sysparm_fields: 'state' }), StateRow);
    return result.state === this.config.resolve.state || ['6', '7'].includes(result.state);
  }

  async closeTicket(ticket: string, note: string[]): Promise<boolean> {
    if (await this.resolved(ticket)) return false;
    await this.call('PATCH', this.tableUrl(ticket), OneRow, { state: this.config.resolve.state, close_code: this.config.resolve.closeCode, close_notes: note.join('\n') });
    return true;
  }

  async reopenTicket(ticket: string, note: string[]): Promise<boolean> {
    if (!(await this.resolved(ticket))) return false;
    await this.call('PATCH', this.tableUrl(ticket), OneRow, { state: this.config.reopenState, work_notes: note.join('\n') });
    return true;
  }
}
