// AWS Security Hub via BatchImportFindings. HTTP 200 can still carry failures, so FailedCount is
// checked; a resolved finding is re-imported as PASSED / ARCHIVED.
import { BatchImportFindingsCommand, SecurityHubClient, type SecurityHubClientConfig } from '@aws-sdk/client-securityhub';
import { asffId, toAsff } from './asff.ts';
import type { SecurityHubConfig } from './config.ts';
import { DeliveryError, type PublishContext, type Publisher } from './publisher.ts';

function classify(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { name?: string; message?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? null;
  const retryable = Boolean(e.$retryable) || status === null || status === 429 || status >= 500 || /Throttl|TooManyRequests/.test(e.name ?? '');
  return new DeliveryError(`securityhub BatchImportFindings: ${e.name ?? 'Error'}: ${e.message ?? ''}`.trim(), retryable, status);
}

export class SecurityHubPublisher implements Publisher {
  readonly name = 'securityhub';
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

  private async import(ctx: PublishContext): Promise<string> {
    const finding = toAsff(ctx.record, this.config, new Date(this.now()).toISOString());
    let out;
    try {
      out = await this.client.send(new BatchImportFindingsCommand({ Findings: [finding] }));
    } catch (err) {
      throw classify(err);
    }
    if ((out.FailedCount ?? 0) > 0) {
      const failed = out.FailedFindings?.[0];
      throw new DeliveryError(`securityhub rejected ${finding.Id}: ${failed?.ErrorCode ?? 'unknown'} ${failed?.ErrorMessage ?? ''}`.trim(), false);
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
