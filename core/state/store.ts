// The finding state store: the same interface over embedded SQLite (CLI) and DynamoDB (Lambda).
// Backends only offer atomic primitives; the lifecycle rules live in core/lifecycle.ts and the
// delivery loop in publishers/drain.ts, so both backends behave the same by construction.
import type { FindingRecord, Intent, PublishAction } from './record.ts';

/** An intent to write (or overwrite) in the same transaction as a record change. */
export interface IntentWrite {
  target: string;
  action: PublishAction;
}

export interface RecordCommit {
  record: FindingRecord;
  /** Version read before computing `record`; 0 means the record must not exist yet. */
  expectedVersion: number;
  intents: IntentWrite[];
  /** Epoch ms: when new intents become due. */
  now: number;
}

export interface ClaimRequest {
  targets: readonly string[];
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
  /** Claim intents due by this time (default `now`); a probe of a failing service claims ahead of backoff. `notBefore` always holds. */
  dueBy?: number;
}

export interface FailRequest {
  owner: string;
  now: number;
  error: string;
  /** When to try again; ignored when `park` is true. */
  retryAt: number;
  /** Count this as a failed attempt (false when only deferred behind a rate-limit window). */
  countAttempt: boolean;
  park: boolean;
  /** A wait that must not be cut short (Retry-After, a deferral); default none. */
  notBefore?: number;
}

/** Which parked intents a scheduled drain re-drives on its own: parked long enough, and not too often. */
export interface RedriveFilter {
  /** Only intents parked at or before this time. */
  parkedBefore: number;
  /** Only intents re-driven fewer times than this; each re-drive counts one. */
  maxRedrives: number;
}

export interface OutboxCounts {
  pending: number;
  parked: number;
}

export interface ScanClaim {
  /** False when this key is already the asset's latest recorded scan: the caller must change nothing. */
  fresh: boolean;
}

export interface ScanMark {
  assetId: string;
  /** scanKeyString of (asset, content, bundle, decisions). */
  key: string;
  scanId: string;
  /**
   * The collection scope that enumerated the asset (see core/collection-scope.ts); undefined keeps the
   * scope recorded before (an image job, a file given on its own, do not say where an asset lives).
   */
  scope?: string;
  now: number;
}

/** What a store knows about one asset: its latest recorded scan and the scope it was last enumerated in. */
export interface AssetMark {
  assetId: string;
  /** '' after a failed recording gave the key back. */
  key: string;
  scanId: string;
  scope: string | null;
  recordedAt: number;
}

/** A lease on one named value shared by every drainer (e.g. the Jira issue of a group of findings). */
export interface SharedLeaseRequest {
  key: string;
  /** Unique per acquisition: a holder never re-enters its own lease by accident. */
  owner: string;
  now: number;
  leaseMs: number;
}

export type SharedLease = { held: true; value: string | null } | { held: false; heldUntil: number };

export interface SharedWrite {
  key: string;
  owner: string;
  /** New value; omitted to keep the stored one. */
  value?: string;
  /** Give the lease up after writing. */
  release: boolean;
}

export interface StateStore {
  readonly kind: 'sqlite' | 'dynamodb';
  getRecord(fingerprint: string): Promise<FindingRecord | undefined>;
  listByAsset(assetId: string): Promise<FindingRecord[]>;
  /** Writes the record and its intents atomically; false (and nothing written) on a version conflict. */
  commit(change: RecordCommit): Promise<boolean>;
  /**
   * Makes `key` the asset's latest recorded scan (and sets its scope when given), atomically; fresh=false
   * when it already was. Only the latest key counts, so returning to an earlier configuration is fresh.
   */
  markScan(mark: ScanMark): Promise<ScanClaim>;
  /** Gives the key back when recording failed half-way (if still `key`), so a redelivery redoes it. */
  unmarkScan(assetId: string, key: string): Promise<void>;
  getAsset(assetId: string): Promise<AssetMark | undefined>;
  /** Assets whose latest enumeration was by a collection of `scope`. May lag on DynamoDB (a GSI). */
  listScopeAssets(scope: string): Promise<string[]>;
  /** Forgets an asset resolved as no longer present, if its latest key is still `key`. */
  forgetAsset(assetId: string, key: string): Promise<void>;

  /** Leases due pending intents for the given targets; a leased intent is invisible to other claimers. */
  claimIntents(request: ClaimRequest): Promise<Intent[]>;
  /** Delivered: removes the intent if still at the claimed rev, and stores the ticket reference. */
  completeIntent(intent: Intent, owner: string, ticketRef: string | null): Promise<void>;
  failIntent(intent: Intent, request: FailRequest): Promise<void>;
  /**
   * Earliest `nextAttemptAt` among pending intents for targets that nobody holds a live lease on, or
   * null when none: a drainer does not wait for another drainer's work.
   */
  nextDue(targets: readonly string[], now: number): Promise<number | null>;
  listIntents(filter?: { state?: Intent['state']; targets?: readonly string[] }): Promise<Intent[]>;
  countIntents(targets?: readonly string[]): Promise<OutboxCounts>;
  /**
   * Moves parked intents back to pending (attempts reset); returns how many. Without a filter (a person
   * asked) every parked intent moves; with one (a scheduled re-drive) only those it admits, counted.
   */
  requeueParked(targets: readonly string[], now: number, filter?: RedriveFilter): Promise<number>;
  /**
   * The service answers again: pending intents waiting out their backoff become due now (never before
   * their `notBefore`); intents leased by a live drainer are left alone. Returns how many moved.
   */
  wakeIntents(targets: readonly string[], now: number): Promise<number>;

  /**
   * Takes the lease on a shared value when nobody holds a live one and returns the value. Work that
   * spans several findings (one ticket for a group) runs under it, so two drainers never race.
   */
  leaseShared?(request: SharedLeaseRequest): Promise<SharedLease>;
  /** Writes and/or releases, only while `owner` still holds the lease; false (nothing written) otherwise. */
  writeShared?(request: SharedWrite): Promise<boolean>;
  close(): Promise<void>;
}

export class StateStoreError extends Error {
  override name = 'StateStoreError';
}
