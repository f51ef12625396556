// Jira in `rule-asset-group` mode: one issue holds every finding of one rule within one asset group
// (an account, an account + region, or one asset). Findings joining, changing or getting fixed are
// comments; the issue closes when the group's last open finding is fixed and reopens when one comes
// back. The group's issue key and its open findings are a shared value in the state store, changed
// only under its lease, so two drainers never both create, and nothing waits for search to catch up.
// A create whose answer was lost is found again by its `grp-<hash>` label once search has caught up
// (jira-lost-create.ts, as in the one-issue-per-finding mode).
import { z } from 'zod';
import { sha256 } from '../core/canonical.ts';
import type { FindingRecord, PublishAction } from '../core/state/record.ts';
import type { JiraConfig } from './config.ts';
import { type AdfDoc, evidenceText, findingDescription, noteDoc } from './jira-adf.ts';
import { IssueSlot, type SaveSlot, createMarked, emptySlot, locateIssue, withIssueSlot } from './jira-lost-create.ts';
import { JiraPublisher, resolvedReason } from './jira.ts';
import { DeliveryError, type PublishContext, type ReconcileResult } from './publisher.ts';

const GroupState = IssueSlot.extend({
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

/**
 * The rule a group is kept for: the finding's earliest id (METADATA aliases scoped to its asset), so a rule
 * renamed or merged into a cross-cloud one keeps adding to the issue its earlier id opened instead of
 * opening another. For a rule without aliases, the rule itself.
 */
export function groupRuleOf(record: FindingRecord): string {
  return record.finding.aliases?.[0] ?? record.ruleId;
}

export function groupLabel(config: Pick<JiraConfig, 'project' | 'groupBy'>, record: FindingRecord): string {
  const group = groupOf(record, config.groupBy);
  return `grp-${sha256(JSON.stringify([config.project, groupRuleOf(record), config.groupBy, group.value])).slice(0, 24)}`;
}

export class JiraGroupPublisher extends JiraPublisher {
  ticketGroupOf(record: FindingRecord): string {
    return groupLabel(this.config, record);
  }

  override async reconcile(action: PublishAction, ctx: PublishContext): Promise<ReconcileResult> {
    if (!ctx.shared) throw new DeliveryError('jira: grouping issues needs a state store that supports shared leases', false);
    const label = groupLabel(this.config, ctx.record);
    const empty = (): GroupState => ({ ...emptySlot(), open: [] });
    return withIssueSlot(ctx.shared, this.slotKey(label), GroupState, empty, (state, save) => this.apply(action, ctx.record, label, state, save));
  }

  /** Brings the group's issue in line with one finding's change; mutates `state` to what is now true. */
  private async apply(action: PublishAction, record: FindingRecord, label: string, state: GroupState, save: SaveSlot): Promise<ReconcileResult> {
    const now = this.now;
    await locateIssue(state, { label, what: `of group ${label}`, searchLagMs: this.config.searchLagMs, now, search: (l) => this.searchLabel(l) });
    const id = memberId(record.fingerprint);
    const member = state.open.includes(id);

    if (state.issue === null) {
      if (action === 'resolve') return { outcome: 'unchanged', ticket: null };
      const created = await this.createGroupIssue(record, label, state, save, now);
      state.open = [id];
      return { outcome: 'created', ticket: created };
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

  private createGroupIssue(record: FindingRecord, label: string, state: GroupState, save: SaveSlot, now: number): Promise<string> {
    const group = groupOf(record, this.config.groupBy);
    const f = record.finding;
    const summary = `[posture] ${f.ruleId}: ${f.title} (${group.name})`.replace(/\s+/g, ' ').slice(0, 255);
    return createMarked(state, save, now, () => this.createIssue(record, label, summary, groupDescription(record, group.name)));
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
