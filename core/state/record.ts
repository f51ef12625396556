// What the state store keeps: one record per finding fingerprint, and one outbox intent per
// (fingerprint, publisher). Shapes are validated on the way out of either backend.
import { z } from 'zod';
import { sha256 } from '../canonical.ts';
import { Finding } from '../finding.ts';

export const FindingStatus = z.enum(['open', 'resolved', 'reopened', 'suppressed']);
export type FindingStatus = z.infer<typeof FindingStatus>;

/** Why a finding was resolved; tickets say it when they close. */
export const Resolution = z.object({
  /**
   * `not-detected`: its asset was scanned and the rule no longer fails there. `no-longer-present`: the asset
   * was missing from a complete collection of the scope it was last seen in (deleted, decommissioned).
   */
  reason: z.enum(['not-detected', 'no-longer-present']),
  /** For `no-longer-present`: the scope whose complete collection no longer had the asset. */
  scope: z.string().optional(),
});
export type Resolution = z.infer<typeof Resolution>;

export const FindingRecord = z.object({
  fingerprint: Finding.shape.fingerprint,
  assetId: z.string(),
  ruleId: z.string(),
  status: FindingStatus,
  /** Exception reason while `suppressed`; null otherwise. */
  suppression: z.object({ exceptionId: z.string(), reason: z.string(), owner: z.string() }).nullable(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  resolvedAt: z.string().nullable(),
  /** Set while `resolved`; null otherwise (and in records written before it existed). */
  resolution: Resolution.nullable().default(null),
  /** The scan that last saw the finding (or, for `resolved`, the scan that missed it). */
  lastScanId: z.string(),
  evidenceHash: z.string(),
  /** Publisher name → ticket reference (Jira key, ServiceNow sys_id, ASFF id, …). */
  tickets: z.record(z.string(), z.string()),
  /** The finding as last seen, so publishing never depends on a scan still in memory. */
  finding: Finding,
  /** Incremented by every write; writes are conditional on the version read. */
  version: z.number().int().nonnegative(),
});
export type FindingRecord = z.infer<typeof FindingRecord>;

export const PublishAction = z.enum(['create', 'update', 'resolve', 'reopen']);
export type PublishAction = z.infer<typeof PublishAction>;

export const IntentState = z.enum(['pending', 'parked']);
export type IntentState = z.infer<typeof IntentState>;

/**
 * A publication intent. There is at most one per (fingerprint, target): a newer state change
 * overwrites the action and bumps `rev`, and publishers reconcile against the record, so a
 * coalesced intent still ends with the right ticket state.
 */
export const Intent = z.object({
  id: z.string(),
  fingerprint: Finding.shape.fingerprint,
  target: z.string(),
  action: PublishAction,
  /** Bumped on every rewrite; completing an older rev leaves the newer intent in place. */
  rev: z.number().int().positive(),
  /** New on every write of the intent: the delivery id receivers deduplicate on. */
  eventId: z.string().min(1),
  state: IntentState,
  attempts: z.number().int().nonnegative(),
  /** Epoch milliseconds: when the intent is due (pending), or when it was parked (parked). */
  nextAttemptAt: z.number(),
  /**
   * Epoch ms before which it must not be tried, whatever happens (a service's Retry-After, a deferral
   * behind search lag); 0 when none. Our own backoff is cut short when a service answers again; this is not.
   */
  notBefore: z.number().default(0),
  /** Times a scheduled drain moved it from parked back to pending (capped); reset by a new state change. */
  redrives: z.number().int().nonnegative().default(0),
  leaseOwner: z.string().nullable(),
  leaseUntil: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Intent = z.infer<typeof Intent>;

export function intentId(fingerprint: string, target: string): string {
  return `${fingerprint}#${target}`;
}

/**
 * Identity of one scan's input. A store keeps only the latest key recorded for each asset: a redelivered
 * job or an unchanged re-scan (the same key again) changes nothing, while a return to an earlier
 * configuration (a rollback: A → B → A) differs from the latest and is recorded.
 */
export interface ScanKey {
  assetId: string;
  /** Image digest or config hash of what was scanned. */
  contentHash: string;
  policyBundleDigest: string;
  /**
   * Digest of the time-dependent decisions applied at recording time (which live exception covers
   * each finding, and the modes): an exception that expires on an unchanged asset changes the key,
   * so the next scan is recorded and the finding reopens instead of staying suppressed for ever.
   */
  decisionsDigest?: string;
}

/** A fixed-length key for the (asset, content, bundle[, decisions]) tuple, safe in any backend's key. */
export function scanKeyString(key: ScanKey): string {
  const parts = [key.assetId, key.contentHash, key.policyBundleDigest];
  return sha256(JSON.stringify(key.decisionsDigest === undefined ? parts : [...parts, key.decisionsDigest]));
}
