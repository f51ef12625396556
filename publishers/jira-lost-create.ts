// The Jira issue behind a label, kept in a leased shared value so a create whose answer was lost
// (a 5xx after the issue was made, a dropped connection) never leads to a second issue. Jira's
// search shows a new issue only after a lag, so an empty search right after such a create proves
// nothing: a "create sent" mark is saved before every create, and while it is younger than the
// configured search lag an empty search defers the delivery instead of creating again. Used by
// both Jira modes: one issue per finding (jira.ts) and one per rule × asset group (jira-group.ts).
import { z } from 'zod';
import { DeliveryDeferred, DeliveryError, type SharedLeases } from './publisher.ts';

export const IssueSlot = z.object({
  /** The issue's key once known. */
  issue: z.string().nullable(),
  /** Epoch ms when a create was sent whose answer never came: the issue may exist, not yet searchable. */
  creatingSince: z.number().nullable(),
});
export type IssueSlot = z.infer<typeof IssueSlot>;

export const emptySlot = (): IssueSlot => ({ issue: null, creatingSince: null });

/** Writes the slot's current state (with the lease kept), before a call whose answer may be lost. */
export type SaveSlot = () => Promise<void>;

/**
 * Runs `work` on the slot stored under `key`, holding its lease against every other drainer; what
 * `work` leaves in `state` is stored when it returns.
 */
export function withIssueSlot<S extends IssueSlot, T>(
  shared: SharedLeases,
  key: string,
  schema: z.ZodType<S>,
  empty: () => S,
  work: (state: S, save: SaveSlot) => Promise<T>,
): Promise<T> {
  return shared.withLease(key, async (held) => {
    const state = held.value === null ? empty() : parseSlot(schema, held.value, key);
    const result = await work(state, () => held.save(JSON.stringify(state)));
    return { result, value: JSON.stringify(state) };
  });
}

function parseSlot<S>(schema: z.ZodType<S>, text: string, key: string): S {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new DeliveryError(`jira: stored state of ${key} is corrupt`, false);
  return parsed.data;
}

export interface Locate {
  /** The label the issue carries. */
  label: string;
  /** What the issue is for, for people: `of finding …`, `of group …`. */
  what: string;
  searchLagMs: number;
  now: number;
  search: (label: string) => Promise<string | null>;
}

/**
 * The slot's issue, remembered or found by its label; null when there is none and it is safe to
 * create one. `recovered` is true when search found the issue of our own create whose answer was
 * lost. Throws DeliveryDeferred while such an issue may still be missing from search.
 */
export async function locateIssue(slot: IssueSlot, { label, what, searchLagMs, now, search }: Locate): Promise<{ issue: string | null; recovered: boolean }> {
  if (slot.issue !== null) return { issue: slot.issue, recovered: false };
  slot.issue = await search(label);
  const pending = slot.creatingSince !== null;
  if (slot.issue !== null) {
    slot.creatingSince = null;
    return { issue: slot.issue, recovered: pending };
  }
  if (pending && now < slot.creatingSince! + searchLagMs) {
    throw new DeliveryDeferred(`jira: the issue ${what} may have been created and is not searchable yet`, slot.creatingSince! + searchLagMs);
  }
  return { issue: null, recovered: false };
}

/** A create refused with a 4xx (429 included) never made an issue; a 5xx or no answer may have. */
const provenNotCreated = (err: unknown) => err instanceof DeliveryError && err.status !== null && err.status < 500;

/** Sends `create` with the "create sent" mark saved first; stores the new key in the slot. */
export async function createMarked(slot: IssueSlot, save: SaveSlot, now: number, create: () => Promise<string>): Promise<string> {
  slot.creatingSince = now;
  await save();
  try {
    slot.issue = await create();
    slot.creatingSince = null;
    return slot.issue;
  } catch (err) {
    if (provenNotCreated(err)) {
      slot.creatingSince = null;
      // Best effort: the mark would only make the next attempt wait out the search lag.
      await save().catch(() => undefined);
    }
    throw err;
  }
}
