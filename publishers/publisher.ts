// One interface for every destination. Publishers are reconcilers: the outbox tells them the latest
// action, the record tells them the current state, and `find` lets them recover a ticket whose
// reference was lost (a response that never arrived), so retries never open a second ticket.
import type { FindingRecord, PublishAction } from '../core/state/record.ts';

/** A value shared by every drainer, held under a lease while `work` runs (see publishers/shared-lease.ts). */
export interface SharedValue {
  readonly value: string | null;
  /** Stores a new value without giving the lease up (a marker before a call whose answer may be lost). */
  save(value: string): Promise<void>;
}

export interface SharedLeases {
  /**
   * Runs `work` holding `key` against every other drainer; `work` returns the value to keep.
   * Throws DeliveryDeferred when another drainer holds it.
   */
  withLease<T>(key: string, work: (shared: SharedValue) => Promise<{ result: T; value: string }>): Promise<T>;
}

export interface PublishContext {
  record: FindingRecord;
  /** Stable for one intent revision: receivers use it to drop duplicate deliveries. */
  deliveryId: string;
  /** Given by the drain when the state store supports shared leases. */
  shared?: SharedLeases;
}

export interface ReconcileResult {
  outcome: PublishOutcome;
  /** The reference to remember in the finding record, or null. */
  ticket: string | null;
}

export interface BatchItem {
  action: PublishAction;
  ctx: PublishContext;
}

export interface Publisher {
  /** The outbox target name, e.g. `jira`; also the key of the ticket reference in the record. */
  readonly name: string;
  /** An existing ticket for this fingerprint, or null. */
  find(ctx: PublishContext): Promise<string | null>;
  /** Opens a ticket; returns its reference. */
  create(ctx: PublishContext): Promise<string>;
  /** Recurrence or changed evidence on an open ticket. */
  update(ctx: PublishContext, ticket: string): Promise<void>;
  resolve(ctx: PublishContext, ticket: string): Promise<void>;
  reopen(ctx: PublishContext, ticket: string): Promise<void>;

  /**
   * Optional: the publisher reconciles the intent itself instead of the drain's find/create/update
   * sequence, for tickets that are not one per finding (a Jira issue per rule × asset group).
   */
  reconcile?(action: PublishAction, ctx: PublishContext): Promise<ReconcileResult>;
  /** Optional, for dry runs: findings with the same key share one ticket (undefined: a ticket of its own). */
  ticketGroupOf?(record: FindingRecord): string | undefined;

  /** Optional: most items one `deliverBatch` call takes. */
  readonly maxBatch?: number;
  /**
   * Optional: delivers many intents at once (Security Hub takes 100 findings per call). Returns one
   * entry per item, in order: its result, or the DeliveryError that item failed with. Throws when
   * the whole call failed.
   */
  deliverBatch?(items: readonly BatchItem[]): Promise<(ReconcileResult | DeliveryError)[]>;
}

export type PublishOutcome = 'created' | 'updated' | 'resolved' | 'reopened' | 'unchanged';

/**
 * A failed delivery. `retryable` false means retrying cannot help (bad request, bad credentials):
 * the intent is parked at once for a person to look at. `retryAt` carries the server's own wait.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    readonly retryAt: number | null = null,
  ) {
    super(message);
  }
}

/**
 * Not a failure: the work is busy elsewhere (another drainer holds the group, or a just-created
 * ticket is not searchable yet). Retried at `retryAt` without counting an attempt, and without
 * holding back the publisher's other intents.
 */
export class DeliveryDeferred extends DeliveryError {
  override name = 'DeliveryDeferred';
  constructor(
    message: string,
    readonly deferUntil: number,
  ) {
    super(message, true);
  }
}

/** Brings an existing ticket in line with the action (the part every publisher shares once a ticket is known). */
export async function applyToTicket(publisher: Publisher, action: PublishAction, ctx: PublishContext, ticket: string): Promise<ReconcileResult> {
  switch (action) {
    case 'create':
      return { outcome: 'unchanged', ticket };
    case 'update':
      await publisher.update(ctx, ticket);
      return { outcome: 'updated', ticket };
    case 'resolve':
      await publisher.resolve(ctx, ticket);
      return { outcome: 'resolved', ticket };
    case 'reopen':
      await publisher.reopen(ctx, ticket);
      return { outcome: 'reopened', ticket };
  }
}
