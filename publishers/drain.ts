// Drains the outbox: claims due intents under a lease, reconciles each with its publisher, and
// either completes it, schedules a retry (exponential backoff, never earlier than the service's
// Retry-After / X-RateLimit-Reset), or parks it after the last attempt. Nothing is ever dropped.
// Recovery is prompt: a run keeps going while deliveries succeed; a service that is failing is probed
// with one intent at a time (at the start of a run, then every `probeMs`); the first answer from it
// resets the backoff of everything waiting for it; `now` retries pending and parked intents at once.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import { log as defaultLog } from '../core/log.ts';
import { type Clock, systemClock } from '../core/state/clock.ts';
import type { FindingRecord, Intent, PublishAction } from '../core/state/record.ts';
import type { OutboxCounts, StateStore } from '../core/state/store.ts';
import { applyToTicket, DeliveryDeferred, DeliveryError, type PublishContext, type PublishOutcome, type Publisher, type ReconcileResult } from './publisher.ts';
import { sharedLeases } from './shared-lease.ts';

export interface DrainOptions {
  /** Report what would be delivered; change nothing and call nothing. */
  dryRun?: boolean;
  /**
   * An operator's re-drive (after an outage is over): parked intents back to pending and every pending
   * intent due at once (backoff waived; a service's own Retry-After still holds). `retryParked` is the
   * older name for the same thing.
   */
  now?: boolean;
  retryParked?: boolean;
  /** A scheduled drain's own re-drive of parked intents: those parked at least `afterMs` ago, at most `max` times each. */
  autoRedrive?: { afterMs: number; max: number };
  clock?: Clock;
  logger?: Logger;
  /** Identity of this drainer in leases. */
  owner?: string;
  leaseMs?: number;
  /** Failed attempts before an intent is parked. */
  maxAttempts?: number;
  backoff?: { baseMs: number; maxMs: number };
  /**
   * How long a run waits for backoff windows without any delivery succeeding before it returns and leaves
   * the rest pending; every success starts the wait anew, so a run continues while deliveries succeed.
   */
  maxWaitMs?: number;
  /** Hard stop for the whole run (a Lambda's timeout); default none. */
  maxRunMs?: number;
  /** While a service fails, one of its intents is tried this often, ahead of backoff, to notice its return. */
  probeMs?: number;
  batchSize?: number;
  concurrency?: number;
  /** 0..1 source for backoff jitter (fixed in tests). */
  random?: () => number;
}

export type OutcomeCounts = Record<PublishOutcome, number> & { retried: number; parked: number };

/** The log line a CloudWatch metric filter turns into the parked-intents alarm (infra/posture-stack.ts). */
export const parkedLogMessage = 'outbox has parked intents';

export interface PlannedDelivery {
  publisher: string;
  action: PublishAction;
  /** What will most likely happen: an update/reopen with no known ticket becomes a create. */
  expected: PublishOutcome;
  fingerprint: string;
  ruleId: string;
  title: string;
  assetId: string;
  ticket: string | null;
  parked: boolean;
}

export interface DrainSummary extends OutcomeCounts {
  dryRun: boolean;
  byPublisher: Record<string, OutcomeCounts>;
  /** What is left after the run (pending includes retries scheduled beyond maxWaitMs). */
  outbox: OutboxCounts;
  planned: PlannedDelivery[];
  /** Parked intents moved back to pending (by `now` or a scheduled re-drive), and backoffs cut short. */
  requeued: number;
  woken: number;
}

const emptyCounts = (): OutcomeCounts => ({ created: 0, updated: 0, resolved: 0, reopened: 0, unchanged: 0, retried: 0, parked: 0 });

function expectedOutcome(action: PublishAction, ticket: string | null): PublishOutcome {
  if (action === 'resolve') return ticket ? 'resolved' : 'unchanged';
  if (!ticket) return 'created';
  return action === 'create' ? 'unchanged' : action === 'update' ? 'updated' : 'reopened';
}

/** Brings one publisher's ticket in line with the intent; returns the outcome and the ticket ref to keep. */
async function reconcile(publisher: Publisher, intent: Intent, ctx: PublishContext): Promise<ReconcileResult> {
  if (publisher.reconcile) return publisher.reconcile(intent.action, ctx);
  const { record } = ctx;
  const ticket = record.tickets[publisher.name] ?? (await publisher.find(ctx));
  if (!ticket) {
    if (intent.action === 'resolve') return { outcome: 'unchanged', ticket: null };
    return { outcome: 'created', ticket: await publisher.create(ctx) };
  }
  return applyToTicket(publisher, intent.action, ctx, ticket);
}

async function plan(store: StateStore, publishers: readonly Publisher[], retryParked: boolean): Promise<PlannedDelivery[]> {
  const names = publishers.map((p) => p.name);
  const intents = await store.listIntents({ targets: names, ...(retryParked ? {} : { state: 'pending' as const }) });
  const byName = new Map(publishers.map((p) => [p.name, p]));
  const planned: PlannedDelivery[] = [];
  // Findings that share a ticket: only the first one of a group without a known ticket creates it.
  const groupsWithTicket = new Set<string>();
  for (const intent of intents) {
    const record = await store.getRecord(intent.fingerprint);
    if (!record) continue;
    const ticket = record.tickets[intent.target] ?? null;
    const group = byName.get(intent.target)?.ticketGroupOf?.(record);
    let expected = expectedOutcome(intent.action, ticket);
    if (group !== undefined) {
      const key = `${intent.target}#${group}`;
      if (expected === 'created' && groupsWithTicket.has(key)) expected = 'updated';
      if (ticket !== null || expected === 'created') groupsWithTicket.add(key);
    }
    planned.push({
      publisher: intent.target,
      action: intent.action,
      expected,
      fingerprint: intent.fingerprint,
      ruleId: record.ruleId,
      title: record.finding.title,
      assetId: record.assetId,
      ticket,
      parked: intent.state === 'parked',
    });
  }
  return planned;
}

export async function drainOutbox(store: StateStore, publishers: readonly Publisher[], options: DrainOptions = {}): Promise<DrainSummary> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? defaultLog;
  const owner = options.owner ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const backoff = options.backoff ?? { baseMs: 2_000, maxMs: 15 * 60_000 };
  const maxWaitMs = options.maxWaitMs ?? 2 * 60_000;
  const probeMs = options.probeMs ?? 15_000;
  const random = options.random ?? Math.random;
  const byName = new Map(publishers.map((p) => [p.name, p]));
  if (byName.size !== publishers.length) throw new Error('two publishers share a name; each needs its own outbox target');
  const names = [...byName.keys()];
  const redriveNow = Boolean(options.now || options.retryParked);

  const summary: DrainSummary = { ...emptyCounts(), dryRun: Boolean(options.dryRun), byPublisher: {}, outbox: { pending: 0, parked: 0 }, planned: [], requeued: 0, woken: 0 };
  for (const name of names) summary.byPublisher[name] = emptyCounts();
  const count = (target: string, key: keyof OutcomeCounts) => {
    summary[key] += 1;
    (summary.byPublisher[target] ??= emptyCounts())[key] += 1;
  };

  if (options.dryRun) {
    summary.planned = await plan(store, publishers, redriveNow);
    for (const p of summary.planned) count(p.publisher, p.expected);
    summary.outbox = await store.countIntents(names);
    return summary;
  }
  const started = clock.now();
  if (redriveNow) {
    summary.requeued = await store.requeueParked(names, started);
    summary.woken = await store.wakeIntents(names, started);
    logger.info({ requeued: summary.requeued, woken: summary.woken }, 'outbox re-driven: parked and waiting intents are due now');
  } else if (options.autoRedrive) {
    summary.requeued = await store.requeueParked(names, started, { parkedBefore: started - options.autoRedrive.afterMs, maxRedrives: options.autoRedrive.max });
    if (summary.requeued) logger.warn({ requeued: summary.requeued, maxRedrives: options.autoRedrive.max }, 'parked intents re-driven by the schedule');
  }

  // A rate limit applies to the whole service, not one ticket: hold every intent for it.
  const blockedUntil = new Map<string, number>();
  /**
   * What this run knows of each service: `unknown` at the start, `up` once it answered, `down` after
   * failures that say nothing came back (5xx, no response): the first one while unknown, else three in a
   * row. A service not known to be up is probed.
   */
  const health = new Map<string, 'unknown' | 'up' | 'down'>(names.map((n) => [n, 'unknown']));
  const lastTry = new Map<string, number>();
  /** Failures in a row with no answer, per service: one 502 among successes is not an outage. */
  const failuresInRow = new Map<string, number>();
  const downAfter = 3;
  let lastSuccess = started;
  const shared = sharedLeases(store, { owner, clock, leaseMs });
  const contextOf = (intent: Intent, record: FindingRecord): PublishContext => ({ record, deliveryId: intent.eventId, ...(shared ? { shared } : {}) });

  /** The service answered: the backoff of everything waiting for it is over. */
  const answered = async (target: string): Promise<void> => {
    failuresInRow.set(target, 0);
    if (health.get(target) === 'up') return;
    const wasDown = health.get(target) === 'down';
    health.set(target, 'up');
    const woken = await store.wakeIntents([target], clock.now());
    summary.woken += woken;
    if (woken || wasDown) logger.info({ publisher: target, woken }, 'service answers again; backoff reset');
  };

  /** Defers an intent behind its service's rate-limit window; true when it did. */
  const heldBack = async (intent: Intent): Promise<boolean> => {
    const held = blockedUntil.get(intent.target) ?? 0;
    if (held <= clock.now()) return false;
    await store.failIntent(intent, { owner, now: clock.now(), error: intent.lastError ?? 'held behind a rate limit', retryAt: held, notBefore: held, countAttempt: false, park: false });
    return true;
  };
  /** The record an intent is about, or null after parking an intent that has none. */
  const recordFor = async (intent: Intent): Promise<FindingRecord | null> => {
    const record = await store.getRecord(intent.fingerprint);
    if (record) return record;
    logger.error({ intent: intent.id }, 'outbox intent without a finding record; parking it');
    await store.failIntent(intent, { owner, now: clock.now(), error: 'finding record missing', retryAt: clock.now(), countAttempt: true, park: true });
    count(intent.target, 'parked');
    return null;
  };
  const succeeded = async (intent: Intent, record: FindingRecord, { outcome, ticket }: ReconcileResult): Promise<void> => {
    const keep = ticket !== null && record.tickets[intent.target] !== ticket ? ticket : null;
    await store.completeIntent(intent, owner, keep);
    count(intent.target, outcome);
    lastSuccess = clock.now();
    await answered(intent.target);
  };
  /** `probe`: tried ahead of its backoff only to learn whether the service is back; a retryable failure then costs the intent nothing. */
  const failed = async (intent: Intent, err: unknown, probe = false): Promise<void> => {
    const now = clock.now();
    if (err instanceof DeliveryDeferred) {
      await store.failIntent(intent, { owner, now, error: err.message, retryAt: err.deferUntil, notBefore: err.deferUntil, countAttempt: false, park: false });
      count(intent.target, 'retried');
      logger.debug({ publisher: intent.target, fingerprint: intent.fingerprint, until: err.deferUntil, reason: err.message }, 'delivery deferred');
      return;
    }
    const failure = err instanceof DeliveryError ? err : new DeliveryError(`${intent.target}: ${(err as Error).message}`, true);
    const held = blockedUntil.get(intent.target) ?? 0;
    if (failure.retryAt !== null) blockedUntil.set(intent.target, Math.max(held, failure.retryAt));
    if (probe && failure.retryable) {
      const retryAt = Math.max(intent.nextAttemptAt, failure.retryAt ?? 0);
      await store.failIntent(intent, { owner, now, error: failure.message, retryAt, ...(failure.retryAt !== null ? { notBefore: failure.retryAt } : {}), countAttempt: false, park: false });
      count(intent.target, 'retried');
      logger.info({ publisher: intent.target, error: failure.message }, 'service still failing (probe)');
      if (failure.status !== 429) health.set(intent.target, 'down');
      return;
    }
    const attempts = intent.attempts + 1;
    const park = !failure.retryable || attempts >= maxAttempts;
    const wait = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempts - 1)) * (0.5 + random() / 2);
    const retryAt = Math.max(now + wait, failure.retryAt ?? 0);
    await store.failIntent(intent, { owner, now, error: failure.message, retryAt, ...(failure.retryAt !== null ? { notBefore: failure.retryAt } : {}), countAttempt: true, park });
    count(intent.target, park ? 'parked' : 'retried');
    logger.warn({ publisher: intent.target, fingerprint: intent.fingerprint, action: intent.action, attempts, parked: park, error: failure.message }, 'delivery failed');
    // A refusal (4xx) is an answer; a 429 says nothing new (its window holds); a 5xx or no answer means down.
    if (failure.status !== null && !failure.retryable) await answered(intent.target);
    else if (failure.status !== 429) {
      const inRow = (failuresInRow.get(intent.target) ?? 0) + 1;
      failuresInRow.set(intent.target, inRow);
      if (inRow >= downAfter || health.get(intent.target) === 'unknown') health.set(intent.target, 'down');
    }
  };

  const deliver = async (intent: Intent, probe = false): Promise<void> => {
    lastTry.set(intent.target, clock.now());
    if (await heldBack(intent)) return;
    const record = await recordFor(intent);
    if (!record) return;
    let result: ReconcileResult;
    try {
      result = await reconcile(byName.get(intent.target)!, intent, contextOf(intent, record));
    } catch (err) {
      await failed(intent, err, probe);
      return;
    }
    await succeeded(intent, record, result);
  };

  /** One call for many intents of a publisher that takes batches; each intent settles on its own. */
  const deliverBatch = async (publisher: Publisher, intents: readonly Intent[], probe = false): Promise<void> => {
    lastTry.set(publisher.name, clock.now());
    const ready: { intent: Intent; record: FindingRecord }[] = [];
    for (const intent of intents) {
      if (await heldBack(intent)) continue;
      const record = await recordFor(intent);
      if (record) ready.push({ intent, record });
    }
    if (ready.length === 0) return;
    let results: (ReconcileResult | DeliveryError)[];
    try {
      results = await publisher.deliverBatch!(ready.map(({ intent, record }) => ({ action: intent.action, ctx: contextOf(intent, record) })));
      if (results.length !== ready.length) throw new DeliveryError(`${publisher.name}: batch answered ${results.length} results for ${ready.length} deliveries`, true);
    } catch (err) {
      results = ready.map(() => (err instanceof DeliveryError ? err : new DeliveryError(`${publisher.name}: ${(err as Error).message}`, true)));
    }
    for (const [i, { intent, record }] of ready.entries()) {
      const result = results[i]!;
      if (result instanceof DeliveryError) await failed(intent, result, probe);
      else await succeeded(intent, record, result);
    }
  };

  const limit = pLimit(options.concurrency ?? 4);
  const hardStop = options.maxRunMs !== undefined ? started + options.maxRunMs : Infinity;
  const open = () => names.filter((n) => (blockedUntil.get(n) ?? 0) <= clock.now());
  const batched = (name: string) => byName.get(name)!.deliverBatch !== undefined;
  const claim = (targets: string[], size: number, dueBy?: number) =>
    store.claimIntents({ targets, owner, now: clock.now(), leaseMs, limit: size, ...(dueBy !== undefined ? { dueBy } : {}) });
  const run = (name: string, intents: Intent[], probe = false): Promise<void>[] =>
    batched(name) ? [limit(() => deliverBatch(byName.get(name)!, intents, probe))] : intents.map((intent) => limit(() => deliver(intent, probe)));
  /** When a service not known to be up should next be probed, or null when it need not be. */
  const probeAt = (name: string): number | null => {
    const state = health.get(name);
    if (state === 'up') return null;
    const at = state === 'unknown' && !lastTry.has(name) ? clock.now() : (lastTry.get(name) ?? clock.now()) + probeMs;
    return Math.max(at, blockedUntil.get(name) ?? 0);
  };

  for (;;) {
    if (clock.now() >= hardStop) break;
    const ready = open();
    const work: Promise<void>[] = [];
    const single = ready.filter((n) => !batched(n));
    if (single.length) {
      const claimed = await claim(single, options.batchSize ?? 25);
      for (const intent of claimed) work.push(...run(intent.target, [intent]));
    }
    for (const name of ready.filter(batched)) {
      const batch = await claim([name], Math.max(1, byName.get(name)!.maxBatch ?? options.batchSize ?? 25));
      if (batch.length) work.push(...run(name, batch));
    }
    // Nothing due for a service that may have come back: try one of its intents ahead of its backoff.
    if (work.length === 0) {
      for (const name of ready) {
        const at = probeAt(name);
        if (at === null || at > clock.now()) continue;
        const probe = await claim([name], 1, Number.POSITIVE_INFINITY);
        if (probe.length) work.push(...run(name, probe, probe[0]!.nextAttemptAt > clock.now()));
        else lastTry.set(name, clock.now()); // nothing it may try yet: look again in probeMs
      }
    }
    if (work.length > 0) {
      await Promise.all(work);
      continue;
    }
    // Sleep until the earliest intent is due or a probe is, counting a rate-limited service as due when its window ends.
    let next: number | null = null;
    for (const name of names) {
      const due = await store.nextDue([name], clock.now());
      if (due === null) continue;
      const probe = probeAt(name);
      const at = Math.min(Math.max(due, blockedUntil.get(name) ?? 0), probe ?? Infinity);
      next = Math.min(next ?? Infinity, at);
    }
    if (next === null || next > lastSuccess + maxWaitMs || next >= hardStop) break;
    await clock.sleep(Math.max(1, next - clock.now()));
  }

  summary.outbox = await store.countIntents(names);
  if (summary.outbox.parked > 0) {
    // The alarm hook: a metric filter on this line pages someone (infra/posture-stack.ts); parked intents
    // wait for `posture publish --now`, a re-drive invocation, or the schedule's capped re-drive.
    logger.error({ parked: summary.outbox.parked, pending: summary.outbox.pending }, parkedLogMessage);
  }
  return summary;
}
