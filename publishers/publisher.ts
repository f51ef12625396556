// One interface for every destination. Publishers are reconcilers: the outbox tells them the latest
// action, the record tells them the current state, and `find` lets them recover a ticket whose
// reference was lost (a response that never arrived), so retries never open a second ticket.
import type { FindingRecord } from '../core/state/record.ts';

export interface PublishContext {
  record: FindingRecord;
  /** Stable for one intent revision: receivers use it to drop duplicate deliveries. */
  deliveryId: string;
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
