// Drains the outbox: claims due intents under a lease, reconciles each with its publisher, and
// either completes it, schedules a retry (exponential backoff, never earlier than the service's
// Retry-After / X-RateLimit-Reset), or parks it after the last attempt. Nothing is ever dropped.
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
  /** Move parked intents back to pending first (after an outage is over). */
  retryParked?: boolean;
  clock?: Clock;
  logger?: Logger;
  /** Identity of this drainer in leases. */
  owner?: string;
  leaseMs?: number;
  /** Failed attempts before an intent is parked. */
  maxAttempts?: number;
  backoff?: { baseMs: number; maxMs: number };
  /** How long one run may wait for backoff windows before it returns and leaves the rest pending. */
  maxWaitMs?: number;
  batchSize?: number;
  concurrency?: number;
  /** 0..1 source for backoff jitter (fixed in tests). */
  random?: () => number;
}

export type OutcomeCounts = Record<PublishOutcome, number> & { retried: number; parked: number };

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
  const random = options.random ?? Math.random;
  const byName = new Map(publishers.map((p) => [p.name, p]));
  if (byName.size !== publishers.length) throw new Error('two publishers share a name; each needs its own outbox target');
  const names = [...byName.keys()];

  const summary: DrainSummary = { ...emptyCounts(), dryRun: Boolean(options.dryRun), byPublisher: {}, outbox: { pending: 0, parked: 0 }, planned: [] };
  for (const name of names) summary.byPublisher[name] = emptyCounts();
  const count = (target: string, key: keyof OutcomeCounts) => {
    summary[key] += 1;
    (summary.byPublisher[target] ??= emptyCounts())[key] += 1;
  };

  if (options.dryRun) {
    summary.planned = await plan(store, publishers, Boolean(options.retryParked));
    for (const p of summary.planned) count(p.publisher, p.expected);
    summary.outbox = await store.countIntents(names);
    return summary;
  }
  if (options.retryParked) {
    const moved = await store.requeueParked(names, clock.now());
    if (moved) logger.info({ requeued: moved }, 'parked intents requeued');
  }

  // A rate limit applies to the whole service, not one ticket: hold every intent for it.
  const blockedUntil = new Map<string, number>();
  const shared = sharedLeases(store, { owner, clock, leaseMs });
  const contextOf = (intent: Intent, record: FindingRecord): PublishContext => ({ record, deliveryId: intent.eventId, ...(shared ? { shared } : {}) });

  /** Defers an intent behind its service's rate-limit window; true when it did. */
  const heldBack = async (intent: Intent): Promise<boolean> => {
    const held = blockedUntil.get(intent.target) ?? 0;
    if (held <= clock.now()) return false;
    await store.failIntent(intent, { owner, now: clock.now(), error: intent.lastError ?? 'held behind a rate limit', retryAt: held, countAttempt: false, park: false });
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
  };
  const failed = async (intent: Intent, err: unknown): Promise<void> => {
    const now = clock.now();
    if (err instanceof DeliveryDeferred) {
      await store.failIntent(intent, { owner, now, error: err.message, retryAt: err.deferUntil, countAttempt: false, park: false });
      count(intent.target, 'retried');
      logger.debug({ publisher: intent.target, fingerprint: intent.fingerprint, until: err.deferUntil, reason: err.message }, 'delivery deferred');
      return;
    }
    const failure = err instanceof DeliveryError ? err : new DeliveryError(`${intent.target}: ${(err as Error).message}`, true);
    const held = blockedUntil.get(intent.target) ?? 0;
    const attempts = intent.attempts + 1;
    const park = !failure.retryable || attempts >= maxAttempts;
    const wait = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempts - 1)) * (0.5 + random() / 2);
    const retryAt = Math.max(now + wait, failure.retryAt ?? 0);
    if (failure.retryAt !== null) blockedUntil.set(intent.target, Math.max(held, failure.retryAt));
    await store.failIntent(intent, { owner, now, error: failure.message, retryAt, countAttempt: true, park });
    count(intent.target, park ? 'parked' : 'retried');
    logger.warn({ publisher: intent.target, fingerprint: intent.fingerprint, action: intent.action, attempts, parked: park, error: failure.message }, 'delivery failed');
  };

  const deliver = async (intent: Intent): Promise<void> => {
    if (await heldBack(intent)) return;
    const record = await recordFor(intent);
    if (!record) return;
    let result: ReconcileResult;
    try {
      result = await reconcile(byName.get(intent.target)!, intent, contextOf(intent, record));
    } catch (err) {
      await failed(intent, err);
      return;
    }
    await succeeded(intent, record, result);
  };

  /** One call for many intents of a publisher that takes batches; each intent settles on its own. */
  const deliverBatch = async (publisher: Publisher, intents: readonly Intent[]): Promise<void> => {
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
      if (result instanceof DeliveryError) await failed(intent, result);
      else await succeeded(intent, record, result);
    }
  };

  const limit = pLimit(options.concurrency ?? 4);
  const deadline = clock.now() + maxWaitMs;
  const open = () => names.filter((n) => (blockedUntil.get(n) ?? 0) <= clock.now());
  const batched = (name: string) => byName.get(name)!.deliverBatch !== undefined;
  for (;;) {
    const ready = open();
    const single = ready.filter((n) => !batched(n));
    const claimed = single.length ? await store.claimIntents({ targets: single, owner, now: clock.now(), leaseMs, limit: options.batchSize ?? 25 }) : [];
    const work = claimed.map((intent) => limit(() => deliver(intent)));
    for (const name of ready.filter(batched)) {
      const publisher = byName.get(name)!;
      const size = Math.max(1, publisher.maxBatch ?? options.batchSize ?? 25);
      const batch = await store.claimIntents({ targets: [name], owner, now: clock.now(), leaseMs, limit: size });
      if (batch.length) work.push(limit(() => deliverBatch(publisher, batch)));
    }
    if (work.length > 0) {
      await Promise.all(work);
      continue;
    }
    // Sleep until the earliest intent is due, counting a rate-limited service as due when its window ends.
    let due: number | null = null;
    for (const name of names) {
      const next = await store.nextDue([name], clock.now());
      if (next !== null) due = Math.min(due ?? Infinity, Math.max(next, blockedUntil.get(name) ?? 0));
    }
    if (due === null || due > deadline) break;
    await clock.sleep(Math.max(1, due - clock.now()));
  }

  summary.outbox = await store.countIntents(names);
  if (summary.outbox.parked > 0) {
    // The alarm hook: a metric filter on this line pages someone; parked intents wait for `--retry-parked`.
    logger.error({ parked: summary.outbox.parked, pending: summary.outbox.pending }, 'outbox has parked intents');
  }
  return summary;
}
