// Turns one scan of one asset into state transitions, each written with its publication intents
// in the same conditional write:
//   new → open (create) · open/reopened + evidence changed → same (update)
//   open/reopened + absent → resolved (resolve) · resolved + seen → reopened (reopen)
//   any + live exception → suppressed (resolve if it was open) · suppressed + exception gone → reopened
//   not resolved + asset missing from a complete collection of its scope → resolved as no longer present
import { canonicalJson, sha256 } from './canonical.ts';
import { type AssetFacts, ExceptionSet, type ModesConfig, ModesConfig as ModesSchema, modeFor, type Suppression } from './exceptions.ts';
import type { Finding } from './finding.ts';
import { log } from './log.ts';
import { type Clock, systemClock } from './state/clock.ts';
import { type FindingRecord, type PublishAction, type Resolution, type ScanKey, scanKeyString } from './state/record.ts';
import type { IntentWrite, StateStore } from './state/store.ts';

/** Evidence kept in a record is bounded: a state item must stay well under DynamoDB's 400 KB. */
export const maxStoredEvidenceChars = 32_000;

export interface ScanObservation extends ScanKey {
  asset: AssetFacts;
  scanId: string;
  findings: readonly Finding[];
  /** Rules this scan evaluated; findings of other rules are left alone. Default: every rule. */
  evaluatedRules?: readonly string[];
  /** The collection scope that enumerated this asset (core/collection-scope.ts); absent: not known. */
  scope?: string;
}

export interface RecordOptions {
  /** Publisher names that get an intent for each publishable change. */
  targets: readonly string[];
  exceptions?: ExceptionSet;
  modes?: ModesConfig;
  clock?: Clock;
  /** Attempts per record before giving up on a write conflict storm. */
  maxConflictRetries?: number;
}

export type Transition = 'opened' | 'reopened' | 'resolved' | 'updated' | 'suppressed' | 'unchanged';

export interface RecordSummary {
  /** True when this (asset, content, bundle) was already recorded: nothing was changed. */
  duplicate: boolean;
  transitions: Record<Transition, number>;
  /** Intents written (one per publishable change per target). */
  intents: number;
  /** Findings whose mode is `warn`: to be shown in reports, not ticketed. */
  warnings: number;
}

type Observation = { kind: 'seen'; finding: Finding; suppression: FindingRecord['suppression'] } | { kind: 'absent'; resolution: Resolution };

interface Step {
  record: FindingRecord;
  transition: Transition;
  action: PublishAction | null;
}

function boundedFinding(finding: Finding): Finding {
  const evidence = canonicalJson(finding.evidence ?? null);
  if (evidence.length <= maxStoredEvidenceChars) return finding;
  return { ...finding, evidence: { truncated: true, chars: evidence.length, head: evidence.slice(0, maxStoredEvidenceChars) } };
}

/** The pure state machine: previous record + what this scan saw → next record and the action to publish. */
export function nextState(prev: FindingRecord | undefined, observation: Observation, scanId: string, now: string): Step | null {
  if (observation.kind === 'absent') {
    if (!prev || prev.status === 'resolved') return null;
    const wasTicketed = prev.status === 'open' || prev.status === 'reopened';
    return {
      record: { ...prev, status: 'resolved', suppression: null, resolvedAt: now, resolution: observation.resolution, lastScanId: scanId, version: prev.version + 1 },
      transition: 'resolved',
      action: wasTicketed ? 'resolve' : null,
    };
  }
  const { finding, suppression } = observation;
  // ruleId follows the finding: a record carried over from an earlier rule id now belongs to its new rule.
  const seen = { ruleId: finding.ruleId, lastSeen: now, lastScanId: scanId, evidenceHash: finding.evidenceHash, finding: boundedFinding(finding) };
  if (!prev) {
    const base = { fingerprint: finding.fingerprint, assetId: finding.assetId, firstSeen: now, resolvedAt: null, resolution: null, tickets: {}, version: 1, ...seen };
    return suppression
      ? { record: { ...base, status: 'suppressed', suppression }, transition: 'suppressed', action: null }
      : { record: { ...base, status: 'open', suppression: null }, transition: 'opened', action: 'create' };
  }
  const next = { ...prev, ...seen, version: prev.version + 1 };
  if (suppression) {
    const wasTicketed = prev.status === 'open' || prev.status === 'reopened';
    const transition = prev.status === 'suppressed' ? 'unchanged' : 'suppressed';
    return { record: { ...next, status: 'suppressed', suppression }, transition, action: wasTicketed ? 'resolve' : null };
  }
  if (prev.status === 'resolved' || prev.status === 'suppressed') {
    return { record: { ...next, status: 'reopened', suppression: null, resolvedAt: null, resolution: null }, transition: 'reopened', action: 'reopen' };
  }
  if (prev.evidenceHash !== finding.evidenceHash) return { record: next, transition: 'updated', action: 'update' };
  return { record: next, transition: 'unchanged', action: null };
}

/**
 * The finding as the state knows it. When no record exists under its fingerprint but one exists under
 * a fingerprint it had before its rule was renamed or merged (`previousFingerprints`: asset + alias +
 * the path then), that record is continued: the finding takes its fingerprint, so the open ticket is
 * updated, not duplicated, and its history goes on. Each record is carried over by one finding at most.
 */
async function carriedOver(store: StateStore, finding: Finding, taken: ReadonlySet<string>): Promise<Finding> {
  if (!finding.previousFingerprints?.length || (await store.getRecord(finding.fingerprint))) return finding;
  for (const previous of finding.previousFingerprints) {
    if (taken.has(previous)) continue;
    const record = await store.getRecord(previous);
    if (record) return { ...finding, fingerprint: record.fingerprint };
  }
  return finding;
}

async function applyOne(
  store: StateStore,
  fingerprint: string,
  observation: Observation,
  context: { scanId: string; clock: Clock; intentsFor: (action: PublishAction | null, record: FindingRecord) => IntentWrite[]; retries: number },
): Promise<{ transition: Transition; intents: number } | null> {
  for (let attempt = 0; attempt < context.retries; attempt++) {
    const prev = await store.getRecord(fingerprint);
    const now = context.clock.now();
    const step = nextState(prev, observation, context.scanId, new Date(now).toISOString());
    if (!step) return null;
    const intents = context.intentsFor(step.action, step.record);
    if (await store.commit({ record: step.record, expectedVersion: prev?.version ?? 0, intents, now })) {
      return { transition: step.transition, intents: intents.length };
    }
    // Someone else wrote this record between our read and write: re-read and decide again.
  }
  throw new Error(`finding ${fingerprint}: gave up after ${context.retries} conflicting concurrent writes`);
}

/**
 * What recording decided beyond the scan itself: the exception covering each finding (or none) and the
 * modes. Exceptions expire with time, not with the asset or the bundle, so they belong in the scan key.
 */
function decisionsDigest(suppressions: ReadonlyMap<string, Suppression | null>, modes: ModesConfig): string {
  const covered = [...suppressions].map(([fingerprint, s]) => [fingerprint, s?.exceptionId ?? null]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
  return sha256(canonicalJson({ covered, modes }));
}

type Context = Parameters<typeof applyOne>[3];

/** Which targets get an intent for an action on a record: ticket mode, or closing a ticket that exists. */
function contextFor(scanId: string, options: RecordOptions): Context {
  const modes = options.modes ?? ModesSchema.parse({});
  return {
    scanId,
    clock: options.clock ?? systemClock,
    retries: options.maxConflictRetries ?? 10,
    intentsFor: (action: PublishAction | null, record: FindingRecord): IntentWrite[] =>
      // Closing a ticket is always allowed (a rule moved to audit must not leave tickets open).
      action && (modeFor(record.finding, modes) === 'ticket' || (action === 'resolve' && Object.keys(record.tickets).length > 0))
        ? options.targets.map((target) => ({ target, action }))
        : [],
  };
}

const emptyTransitions = (): Record<Transition, number> => ({ opened: 0, reopened: 0, resolved: 0, updated: 0, suppressed: 0, unchanged: 0 });

/**
 * Records one scan of one asset. Idempotent per (asset, content hash, policy bundle digest, live
 * exceptions and modes) against the asset's latest recorded scan: a redelivered job or an unchanged
 * re-scan returns `duplicate: true` and writes nothing, while a return to an earlier configuration
 * (a rollback) or the same content seen after an exception expired is recorded.
 */
export async function recordScan(store: StateStore, scan: ScanObservation, options: RecordOptions): Promise<RecordSummary> {
  const clock = options.clock ?? systemClock;
  const modes = options.modes ?? ModesSchema.parse({});
  const exceptions = options.exceptions ?? new ExceptionSet([], new Date(clock.now()));
  const summary: RecordSummary = { duplicate: false, transitions: emptyTransitions(), intents: 0, warnings: 0 };
  for (const f of scan.findings) {
    if (f.assetId !== scan.asset.id) throw new Error(`finding ${f.fingerprint} belongs to ${f.assetId}, not to the scanned asset ${scan.asset.id}`);
  }
  // Matched once per finding, before the idempotency check: the decisions are part of the key.
  const suppressions = new Map<string, Suppression | null>();
  for (const finding of scan.findings) {
    if (!suppressions.has(finding.fingerprint)) suppressions.set(finding.fingerprint, exceptions.match(finding, scan.asset));
  }
  const key = scanKeyString({ ...scan, decisionsDigest: decisionsDigest(suppressions, modes) });
  const claim = await store.markScan({ assetId: scan.asset.id, key, scanId: scan.scanId, now: clock.now(), ...(scan.scope !== undefined ? { scope: scan.scope } : {}) });
  if (!claim.fresh) {
    log.info({ assetId: scan.asset.id, scanId: scan.scanId }, 'scan already recorded; nothing to do');
    return { ...summary, duplicate: true };
  }

  const context = contextFor(scan.scanId, { ...options, modes });
  const tally = (result: { transition: Transition; intents: number } | null) => {
    if (!result) return;
    summary.transitions[result.transition] += 1;
    summary.intents += result.intents;
  };

  try {
    const seen = new Set<string>();
    for (const found of scan.findings) {
      if (seen.has(found.fingerprint)) continue; // the same place reported twice is one finding
      const suppression = suppressions.get(found.fingerprint) ?? null;
      // A finding of a renamed or merged rule carries on the record (and tickets) kept under its earlier id.
      const finding = await carriedOver(store, found, seen);
      seen.add(found.fingerprint).add(finding.fingerprint);
      if (!suppression && modeFor(finding, modes) === 'warn') summary.warnings += 1;
      tally(await applyOne(store, finding.fingerprint, { kind: 'seen', finding, suppression }, context));
    }
    const evaluated = scan.evaluatedRules ? new Set(scan.evaluatedRules) : null;
    for (const record of await store.listByAsset(scan.asset.id)) {
      if (seen.has(record.fingerprint) || (evaluated && !evaluated.has(record.ruleId))) continue;
      tally(await applyOne(store, record.fingerprint, { kind: 'absent', resolution: { reason: 'not-detected' } }, context));
    }
  } catch (err) {
    // Let a redelivery redo the scan: every transition is state-based, so redoing is safe.
    await store.unmarkScan(scan.asset.id, key);
    throw err;
  }
  return summary;
}

export interface RemovalSummary {
  /** Assets of the scope that its complete collection no longer had. */
  assets: string[];
  /** Findings resolved as no longer present, and the intents written for them. */
  resolved: number;
  intents: number;
}

/**
 * After a complete collection of a scope (every read in it succeeded), resolves the findings of each
 * asset last enumerated in that scope that the collection no longer had, as "no longer present", and
 * forgets the asset so that its return is recorded afresh. Call it only for complete collections: a
 * partial one cannot tell a deleted asset from one it failed to read.
 */
export async function resolveMissingAssets(
  store: StateStore,
  collection: { scope: string; present: ReadonlySet<string>; scanId: string },
  options: RecordOptions,
): Promise<RemovalSummary> {
  const summary: RemovalSummary = { assets: [], resolved: 0, intents: 0 };
  const context = contextFor(collection.scanId, options);
  const observation: Observation = { kind: 'absent', resolution: { reason: 'no-longer-present', scope: collection.scope } };
  for (const assetId of await store.listScopeAssets(collection.scope)) {
    if (collection.present.has(assetId)) continue;
    // The scope index may lag (a DynamoDB GSI): act only on what the asset's own item says now.
    const mark = await store.getAsset(assetId);
    if (!mark || mark.scope !== collection.scope) continue;
    summary.assets.push(assetId);
    for (const record of await store.listByAsset(assetId)) {
      const result = await applyOne(store, record.fingerprint, observation, context);
      if (result) {
        summary.resolved += 1;
        summary.intents += result.intents;
      }
    }
    await store.forgetAsset(assetId, mark.key);
    log.info({ assetId, scope: collection.scope, scanId: collection.scanId }, 'asset no longer present; its findings are resolved');
  }
  return summary;
}
