// Jira in `rule-asset-group` mode: one issue holds every finding of one rule within one asset group
// (an account, an account + region, or one asset). Findings joining, changing or getting fixed are
// comments; the issue closes when the group's last open finding is fixed and reopens when one comes
// back. The group's issue key and its open findings are a shared value in the state store, changed
// only under its lease, so two drainers never both create, and nothing waits for search to catch up.
// A create whose answer was lost is found again by its `grp-<hash>` label once search has caught up.
import { z } from 'zod';
import { sha256 } from '../core/canonical.ts';
import type { FindingRecord, PublishAction } from '../core/state/record.ts';
import type { JiraConfig } from './config.ts';
import { type AdfDoc, evidenceText, findingDescription, noteDoc } from './jira-adf.ts';
import { JiraPublisher, resolvedReason } from './jira.ts';
import { DeliveryDeferred, DeliveryError, type PublishContext, type ReconcileResult, type SharedValue } from './publisher.ts';

const GroupState = z.object({
  issue: z.string().nullable(),
  /** Epoch ms when a create was sent whose answer never came: the issue may exist, not yet searchable. */
  creatingSince: z.number().nullable(),
  /** Open findings on the issue, by fingerprint prefix (64 bits is plenty within one group). */
  open: z.array(z.string()),
});
type GroupState = z.infer<typeof GroupState>;

/** Keeps the shared value well under DynamoDB's 400 KB item limit. */
export const maxOpenPerGroup = 10_000;

const memberId = (fingerprint: string) => fingerprint.slice(0, 16);

/** The group a finding belongs to: a stable value for the label and a name for people. */
export function groupOf(record: FindingRecord, groupBy: JiraConfig['groupBy']): { value: string; name: string } {
  const f = record.finding;
  const account = f.account || '-';
  switch (groupBy) {
    case 'account':
      return { value: `${f.provider}/${account}`, name: `${f.provider} account ${account}` };
    case 'account-region':
      return { value: `${f.provider}/${account}/${f.region || '-'}`, name: `${f.provider} account ${account}, region ${f.region || '-'}` };
    case 'asset':
      return { value: f.assetId, name: `asset ${f.assetId}` };
  }
}

export function groupLabel(config: Pick<JiraConfig, 'project' | 'groupBy'>, record: FindingRecord): string {
  const group = groupOf(record, config.groupBy);
  return `grp-${sha256(JSON.stringify([config.project, record.ruleId, config.groupBy, group.value])).slice(0, 24)}`;
}

function parseState(value: string | null, label: string): GroupState {
  if (value === null) return { issue: null, creatingSince: null, open: [] };
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    json = undefined;
  }
  const parsed = GroupState.safeParse(json);
  if (!parsed.success) throw new DeliveryError(`jira: stored state of group ${label} is corrupt`, false);
  return parsed.data;
}

/** A create refused with a 4xx (429 included) never made an issue; a 5xx or no answer may have. */
const provenNotCreated = (err: unknown) => err instanceof DeliveryError && err.status !== null && err.status < 500;

export class JiraGroupPublisher extends JiraPublisher {
  ticketGroupOf(record: FindingRecord): string {
    return groupLabel(this.config, record);
  }

  async reconcile(action: PublishAction, ctx: PublishContext): Promise<ReconcileResult> {
    if (!ctx.shared) throw new DeliveryError('jira: grouping issues needs a state store that supports shared leases', false);
    const label = groupLabel(this.config, ctx.record);
    return ctx.shared.withLease(`jira#${this.config.project}#${label}`, async (shared) => {
      const state = parseState(shared.value, label);
      const result = await this.apply(action, ctx.record, label, state, shared);
      return { result, value: JSON.stringify(state) };
    });
  }

  /** Brings the group's issue in line with one finding's change; mutates `state` to what is now true. */
  private async apply(action: PublishAction, record: FindingRecord, label: string, state: GroupState, shared: SharedValue): Promise<ReconcileResult> {
    const now = (this.http.now ?? Date.now)();
    if (state.issue === null) {
      state.issue = await this.searchLabel(label);
      if (state.issue !== null) state.creatingSince = null;
    }
    if (state.issue === null && state.creatingSince !== null && now < state.creatingSince + this.config.searchLagMs) {
      throw new DeliveryDeferred(`jira: the issue of group ${label} may have been created and is not searchable yet`, state.creatingSince + this.config.searchLagMs);
    }
    const id = memberId(record.fingerprint);
    const member = state.open.includes(id);

    if (state.issue === null) {
      if (action === 'resolve') return { outcome: 'unchanged', ticket: null };
      state.issue = await this.createGroupIssue(record, label, state, shared, now);
      state.open = [id];
      return { outcome: 'created', ticket: state.issue };
    }
    const issue = state.issue;

    if (action === 'resolve') {
      if (!member) return { outcome: 'unchanged', ticket: issue };
      state.open = state.open.filter((m) => m !== id);
      const remaining = state.open.length;
      const note = this.note(record, [resolvedReason(record), remaining ? `${remaining} finding${remaining === 1 ? '' : 's'} of this group remain open.` : 'No finding of this group remains open.']);
      if (remaining > 0) {
        await this.comment(issue, note);
        return { outcome: 'updated', ticket: issue };
      }
      const moved = await this.transition(issue, this.config.doneTransition, 'done', note, this.config.resolution);
      if (!moved) await this.comment(issue, note);
      return { outcome: moved ? 'resolved' : 'updated', ticket: issue };
    }

    if (member && action === 'create') return { outcome: 'unchanged', ticket: issue }; // a retry of a join that went through
    const wasEmpty = state.open.length === 0;
    if (!member) {
      if (state.open.length >= maxOpenPerGroup) {
        throw new DeliveryError(`jira: group ${label} already has ${maxOpenPerGroup} open findings; group by a narrower key (groupBy: asset)`, false);
      }
      state.open = [...state.open, id];
    }
    const headline =
      action === 'update' ? `The evidence of a finding of this group changed (scan ${record.lastScanId}).`
      : action === 'reopen' ? `posture detects a finding of this group again (scan ${record.lastScanId}).`
      : `posture found another finding of this group (scan ${record.lastScanId}).`;
    const note = this.note(record, [headline, `${state.open.length} finding${state.open.length === 1 ? '' : 's'} of this group open.`]);
    if (wasEmpty) {
      const moved = await this.transition(issue, this.config.reopenTransition, 'open', note);
      if (moved) return { outcome: 'reopened', ticket: issue };
    }
    await this.comment(issue, note);
    return { outcome: 'updated', ticket: issue };
  }

  private async createGroupIssue(record: FindingRecord, label: string, state: GroupState, shared: SharedValue, now: number): Promise<string> {
    // Marked before sending: if the answer is lost, the next attempt waits for search instead of creating again.
    state.creatingSince = now;
    await shared.save(JSON.stringify(state));
    const group = groupOf(record, this.config.groupBy);
    const f = record.finding;
    const summary = `[posture] ${f.ruleId}: ${f.title} (${group.name})`.replace(/\s+/g, ' ').slice(0, 255);
    try {
      const key = await this.createIssue(record, label, summary, groupDescription(record, group.name));
      state.creatingSince = null;
      return key;
    } catch (err) {
      if (provenNotCreated(err)) {
        state.creatingSince = null;
        await shared.save(JSON.stringify(state)).catch(() => undefined);
      }
      throw err;
    }
  }

  /** A comment naming one finding of the group, with its evidence. */
  private note(record: FindingRecord, lines: string[]): AdfDoc {
    const f = record.finding;
    return noteDoc([...lines, `Finding: ${f.assetId} at ${f.path || '(asset)'}: ${f.message}`, `Fingerprint ${record.fingerprint} · first seen ${record.firstSeen} · last seen ${record.lastSeen}`], evidenceText(record));
  }
}

function groupDescription(record: FindingRecord, groupName: string): AdfDoc {
  const first = findingDescription(record);
  const intro: AdfDoc = noteDoc([
    `posture keeps every finding of rule ${record.ruleId} in ${groupName} on this issue. Findings found later, changed or fixed are added as comments; the issue is closed when the last one is fixed and reopened when one comes back.`,
    'First finding:',
  ]);
  return { ...first, content: [...intro.content, ...first.content] };
}
