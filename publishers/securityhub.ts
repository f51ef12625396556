// AWS Security Hub via BatchImportFindings, up to 100 findings per call. HTTP 200 can still carry
// failures, so FailedFindings is mapped back to each finding: the others are done, the failed ones
// are retried or parked on their own. A resolved finding is re-imported as PASSED / ARCHIVED.
import { type AwsSecurityFinding, BatchImportFindingsCommand, type ImportFindingsError, SecurityHubClient, type SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import type { PublishAction } from '../core/state/record.ts';
import { asffId, toAsff } from './asff.ts';
import type { SecurityHubConfig } from './config.ts';
import { type BatchItem, DeliveryError, type PublishContext, type PublishOutcome, type Publisher, type ReconcileResult } from './publisher.ts';

/** What one BatchImportFindings call accepts (Security Hub partner guide). */
export const securityHubLimits = { findingsPerCall: 100, bytesPerFinding: 240 * 1024, bytesPerCall: 6 * 1024 * 1024 } as const;

/** Per-finding error codes worth another try; anything else (InvalidInput, AccessDenied…) will fail again. */
const retryableCode = /Throttl|LimitExceeded|TooManyRequests|Internal|ServiceUnavailable|Timeout/i;

function rejected(failure: ImportFindingsError): DeliveryError {
  const code = failure.ErrorCode ?? 'unknown';
  return new DeliveryError(`securityhub rejected ${failure.Id ?? '?'}: ${code} ${failure.ErrorMessage ?? ''}`.trim(), retryableCode.test(code));
}

/** The import to send for one intent, or the result when none is needed (same rules as the drain's one-at-a-time path). */
function planImport(action: PublishAction, ticket: string | null): PublishOutcome {
  if (!ticket) return action === 'resolve' ? 'unchanged' : 'created';
  if (action === 'create') return 'unchanged';
  return action === 'update' ? 'updated' : action === 'resolve' ? 'resolved' : 'reopened';
}

interface Pending {
  index: number;
  finding: AwsSecurityFinding;
  bytes: number;
  outcome: PublishOutcome;
  ticket: string;
}

/** Consecutive calls of at most 100 findings and 6 MB each. */
function callsOf(pending: readonly Pending[]): Pending[][] {
  const calls: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const p of pending) {
    if (current.length === securityHubLimits.findingsPerCall || (current.length > 0 && bytes + p.bytes > securityHubLimits.bytesPerCall - 1024)) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += p.bytes + 1;
  }
  if (current.length) calls.push(current);
  return calls;
}

function classify(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { name?: string; message?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? null;
  const retryable = Boolean(e.$retryable) || status === null || status === 429 || status >= 500 || /Throttl|TooManyRequests/.test(e.name ?? '');
  return new DeliveryError(`securityhub BatchImportFindings: ${e.name ?? 'Error'}: ${e.message ?? ''}`.trim(), retryable, status);
}

export class SecurityHubPublisher implements Publisher {
  readonly name = 'securityhub';
  readonly maxBatch = securityHubLimits.findingsPerCall;
  private readonly client: SecurityHubClient;

  constructor(
    private readonly config: SecurityHubConfig,
    clientConfig: SecurityHubClientConfig = {},
    private readonly now: () => number = Date.now,
  ) {
    this.client = new SecurityHubClient({ region: config.region, ...clientConfig });
  }

  /** Importing is an upsert by Id, so the Id is the reference and nothing needs looking up. */
  async find(): Promise<string | null> {
    return null;
  }

  /** The ASFF finding for a record, refused when larger than Security Hub takes. */
  private asff(ctx: PublishContext): { finding: AwsSecurityFinding; bytes: number } {
    const finding = toAsff(ctx.record, this.config, new Date(this.now()).toISOString());
    const bytes = Buffer.byteLength(JSON.stringify(finding));
    if (bytes > securityHubLimits.bytesPerFinding) {
      throw new DeliveryError(`securityhub: finding ${finding.Id} is ${bytes} bytes as ASFF, over the ${securityHubLimits.bytesPerFinding} bytes Security Hub accepts`, false);
    }
    return { finding, bytes };
  }

  async deliverBatch(items: readonly BatchItem[]): Promise<(ReconcileResult | DeliveryError)[]> {
    const results: (ReconcileResult | DeliveryError)[] = [];
    const pending: Pending[] = [];
    for (const [index, { action, ctx }] of items.entries()) {
      const ticket = ctx.record.tickets[this.name] ?? null;
      const outcome = planImport(action, ticket);
      results.push({ outcome, ticket });
      if (outcome === 'unchanged') continue;
      try {
        pending.push({ index, ...this.asff(ctx), outcome, ticket: asffId(ctx.record.fingerprint) });
      } catch (err) {
        results[index] = err as DeliveryError;
      }
    }
    let callFailure: DeliveryError | null = null;
    for (const call of callsOf(pending)) {
      // After a failed call (throttled, unreachable) the rest wait for the drain's retry instead of piling on.
      if (!callFailure) {
        try {
          const out = await this.client.send(new BatchImportFindingsCommand({ Findings: call.map((p) => p.finding) }));
          const failures = new Map((out.FailedFindings ?? []).map((f) => [f.Id, f]));
          // A count the list does not explain: importing is an upsert, so unlisted findings are simply sent again.
          const unexplained = (out.FailedCount ?? 0) > failures.size;
          for (const p of call) {
            const failure = failures.get(p.finding.Id);
            results[p.index] = failure
              ? rejected(failure)
              : unexplained
                ? new DeliveryError(`securityhub: FailedCount ${out.FailedCount} does not match the ${failures.size} findings listed; importing ${p.finding.Id} again`, true)
                : { outcome: p.outcome, ticket: p.ticket };
          }
          continue;
        } catch (err) {
          callFailure = classify(err);
        }
      }
      for (const p of call) results[p.index] = callFailure;
    }
    return results;
  }

  private async import(ctx: PublishContext): Promise<string> {
    const { finding } = this.asff(ctx);
    let out;
    try {
      out = await this.client.send(new BatchImportFindingsCommand({ Findings: [finding] }));
    } catch (err) {
      throw classify(err);
    }
    if ((out.FailedCount ?? 0) > 0) {
      throw rejected(out.FailedFindings?.[0] ?? { Id: finding.Id, ErrorCode: 'unknown', ErrorMessage: '' });
    }
    return asffId(ctx.record.fingerprint);
  }

  create(ctx: PublishContext): Promise<string> {
    return this.import(ctx);
  }
  async update(ctx: PublishContext): Promise<void> {
    await this.import(ctx);
  }
  async resolve(ctx: PublishContext): Promise<void> {
    await this.import(ctx);
  }
  async reopen(ctx: PublishContext): Promise<void> {
    await this.import(ctx);
  }

  close(): void {
    this.client.destroy();
  }
}
