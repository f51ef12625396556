// SQS scan worker: job → collect → evaluate → record (state + outbox for publishing).
// Reports failed records only (`batchItemFailures`) so SQS retries just those; poison messages go to
// the dead-letter queue at once with the reason. Idempotent twice over: a job is claimed in the ledger
// before any work and marked done after it is recorded, so a redelivered message does no duplicate work;
// the recorder skips an (asset, content, policy) it has already recorded, so no state changes twice.
import { randomUUID } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import pLimit from 'p-limit';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from 'pino';
import { jobIdempotencyKey, JobError, parseJob, type Job } from '../core/jobs.ts';
import type { SecretHasher } from '../core/found-secrets.ts';
import { scanAssets } from '../core/scan.ts';
import type { Engine } from '../policies/engine.ts';
import { CollectorMissing, ScopeUnreadable, type Collectors } from './runtime/collectors.ts';
import type { IdempotencyLedger } from './runtime/ledger.ts';
import type { JobQueue } from './runtime/queue.ts';
import type { ScanRecorder } from './runtime/recorder.ts';
import { lazyHandler } from './runtime/lazy.ts';
import { addScanMetrics } from './runtime/metrics.ts';
import type { Asset } from '../core/asset.ts';
import { matchImages, type VulnDbHandle } from '../vulns/enrich.ts';

export interface WorkerDeps {
  queue: JobQueue;
  ledger: IdempotencyLedger;
  engine: Engine;
  /** Bundle digest + config hash: results are only reusable under the same policy. */
  policyDigest: string;
  collectors: Collectors;
  recorder: ScanRecorder;
  /** Records processed at once; image pulls are memory-heavy, so this stays small. */
  concurrency: number;
  /** The vulnerability database images are matched with (functions/runtime/vulndb.ts); absent: not evaluated. */
  vulnerabilities?: { current(): Promise<VulnDbHandle> };
  log: Logger;
  /** CloudWatch EMF metrics (Powertools), flushed once per invocation. */
  metrics?: Metrics;
  /** The key found secrets are hashed under (absent: a per-container key). */
  hasher?: SecretHasher;
  /** Registry hosts a job that came from a webhook may name (posture.yaml `registries`). */
  registryAllowed?: (host: string) => boolean;
  /**
   * Time kept back from the Lambda's remaining time (ms): work still running then is stopped, its claim
   * released and its record handed back to SQS, so the invocation ends cleanly instead of being killed.
   */
  reserveMs?: number;
}

/**
 * Matches the images of a job against the vulnerability database, then folds the registry scanner's findings
 * (a native scan job) into those matches: what both found is ours with the scanner in `detectedBy`, the rest
 * stays `nativeVulnerabilities` for REG-002.
 */
export async function withVulnerabilities(assets: Asset[], deps: Pick<WorkerDeps, 'vulnerabilities'>): Promise<Asset[]> {
  if (!assets.some((a) => a.kind === 'image')) return assets;
  const db: VulnDbHandle = deps.vulnerabilities ? await deps.vulnerabilities.current() : { unavailable: 'this worker has no vulnerability database configured' };
  return matchImages(assets, db).assets;
}

export type JobOutcome = 'done' | 'duplicate' | 'fanned-out' | 'dead-lettered';

/** Another worker holds a live claim on the same work: retry this record later. */
class Busy extends Error {}

/** The invocation's time ran out before this record finished: SQS redelivers it. */
class OutOfTime extends Error {
  override name = 'OutOfTime';
}

/** A job no retry can fix (a registry no event may name): dead-lettered at once. */
class PermanentJobError extends Error {
  override name = 'PermanentJobError';
}

/** Webhook triggers carry what a request body said; their registry must be one the configuration names. */
const webhookSources = new Set(['event-grid', 'acr-webhook', 'pubsub']);

export function createWorkerHandler(deps: WorkerDeps): (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    const limit = pLimit(Math.max(1, deps.concurrency));
    const stop = invocationDeadline(context, deps.reserveMs ?? defaultReserveMs);
    try {
      const results = await Promise.all(
        event.Records.map((record) =>
          limit(async () => {
            try {
              // A record not started before the deadline is not started at all.
              if (stop.signal.aborted) throw new OutOfTime('the invocation ran out of time before this record started');
              await processRecord(record, deps, stop.signal);
              return null;
            } catch (err) {
              const level = err instanceof Busy || err instanceof OutOfTime ? 'info' : 'error';
              deps.log[level]({ messageId: record.messageId, err }, 'scan job failed; SQS will redeliver it');
              return record.messageId;
            }
          }),
        ),
      );
      deps.metrics?.publishStoredMetrics();
      return { batchItemFailures: results.filter((id): id is string => id !== null).map((itemIdentifier) => ({ itemIdentifier })) };
    } finally {
      stop.done();
    }
  };
}

const defaultReserveMs = 15_000;

/** Aborts when only `reserveMs` of the Lambda's time is left (never, outside Lambda). */
function invocationDeadline(context: Pick<Context, 'getRemainingTimeInMillis'> | undefined, reserveMs: number): { signal: AbortSignal; done(): void } {
  const controller = new AbortController();
  if (!context) return { signal: controller.signal, done: () => {} };
  const left = context.getRemainingTimeInMillis() - reserveMs;
  const timer = setTimeout(() => controller.abort(new OutOfTime(`stopped ${reserveMs} ms before the Lambda timeout`)), Math.max(0, left));
  return { signal: controller.signal, done: () => clearTimeout(timer) };
}

export async function processRecord(record: SQSRecord, deps: WorkerDeps, signal?: AbortSignal): Promise<JobOutcome> {
  let job: Job;
  try {
    job = parseJob(record.body);
    if (job.type === 'scan-image' && webhookSources.has(job.trigger.source) && deps.registryAllowed && !deps.registryAllowed(job.image.registry)) {
      throw new PermanentJobError(`registry ${job.image.registry} is not one the configuration names (posture.yaml registries)`);
    }
  } catch (err) {
    if (!(err instanceof JobError) && !(err instanceof PermanentJobError)) throw err;
    // Retrying cannot fix a malformed message: park it now rather than after maxReceiveCount attempts.
    deps.log.warn({ messageId: record.messageId, reason: err.message }, 'invalid scan job dead-lettered');
    await deps.queue.deadLetter(record.body, err.message);
    return 'dead-lettered';
  }
  const log = deps.log.child({ messageId: record.messageId, job: job.type, account: job.account, region: job.region, trigger: job.trigger.eventId });
  const owner = `${record.messageId}/${randomUUID()}`;
  const jobKey = jobIdempotencyKey(job, deps.policyDigest);
  const claim = await deps.ledger.claim(jobKey, owner);
  if (claim === 'done') {
    log.info('job already processed under this policy; redelivery skipped');
    return 'duplicate';
  }
  if (claim === 'busy') throw new Busy(`job ${jobKey} is being processed by another worker`);
  try {
    const outcome = await runJob(job, deps, log, signal);
    await deps.ledger.complete(jobKey, owner);
    return outcome;
  } catch (caught) {
    // Stopped by the invocation deadline: whatever the collector made of the abort, this is not a result.
    const err = signal?.aborted ? new OutOfTime(`job stopped before the Lambda timeout; released for redelivery`) : caught;
    await deps.ledger.release(jobKey, owner).catch((releaseErr: unknown) => log.warn({ err: releaseErr }, 'could not release job claim; it expires with its lease'));
    if (err instanceof CollectorMissing) {
      // A deployment without that collector cannot succeed on retry; keep the job for a redrive.
      log.warn({ reason: err.message }, 'scan job dead-lettered: no collector for it');
      await deps.queue.deadLetter(record.body, err.message);
      return 'dead-lettered';
    }
    throw err;
  }
}

async function runJob(job: Job, deps: WorkerDeps, log: Logger, signal?: AbortSignal): Promise<JobOutcome> {
  if (job.type === 'scan-scope') {
    const swept = await deps.collectors.sweep(job);
    if (swept.errors.length > 0) log.warn({ collectionErrors: swept.errors.length, errors: swept.errors.slice(0, 50) }, 'scope collected with errors');
    if (swept.scope.status === 'failed') {
      throw new ScopeUnreadable(`nothing in scope ${swept.scope.key} could be read (${swept.errors.length} collection errors; first: ${swept.errors[0]?.source}: ${swept.errors[0]?.message})`);
    }
    // Configuration assets are evaluated here rather than one job each: see provider-collectors.ts.
    // A complete scope resolves the findings of the assets it no longer has (core/lifecycle.ts); images are
    // sampled (newest per repository) and recorded by their own jobs, so they are not part of it.
    const scope = { key: swept.scope.key, complete: swept.scope.status === 'complete', assetIds: swept.assets.filter((a) => a.kind !== 'image').map((a) => a.id) };
    const scan = scanAssets(deps.engine, swept.assets, [...swept.errors], new Date(), [scope], deps.hasher);
    const recorded = await deps.recorder.record(scan, job, deps.policyDigest);
    if (deps.metrics) addScanMetrics(deps.metrics, recorded);
    await deps.queue.send(swept.jobs);
    const imageJobs = swept.jobs.filter((j) => j.type === 'scan-image').length;
    log.info(
      { scope: swept.scope.key, completion: swept.scope.status, assets: scan.assets.length, findings: scan.findings.length, collectionErrors: swept.errors.length, imageJobs, scopeJobs: swept.jobs.length - imageJobs, scanId: scan.scanId, ...recorded },
      'scope recorded; image jobs queued',
    );
    return 'fanned-out';
  }
  const collected = await deps.collectors.collect(job, signal);
  // An image cut short by the deadline is not recorded: the redelivery scans it whole.
  if (signal?.aborted) throw new OutOfTime('job stopped before the Lambda timeout');
  const scan = scanAssets(deps.engine, await withVulnerabilities(collected.assets, deps), [...collected.errors], new Date(), undefined, deps.hasher);
  // The recorder is idempotent per (asset, content hash, policy): an image pushed under two tags, or
  // an unchanged resource seen again, changes no state twice even when the job keys differ.
  const recorded = await deps.recorder.record(scan, job, deps.policyDigest);
  if (deps.metrics) addScanMetrics(deps.metrics, recorded);
  log.info({ assets: scan.assets.length, findings: scan.findings.length, errors: scan.errors, scanId: scan.scanId, ...recorded }, 'scan recorded');
  return 'done';
}

export const handler = lazyHandler(async () => {
  const { workerDepsFromEnv } = await import('./runtime/wiring/worker.ts');
  return createWorkerHandler(await workerDepsFromEnv(process.env));
});
