// GRC webhook: a signed JSON POST per finding event (our own shape or OCSF 2003). Stateless on our
// side: the delivery id lets the receiver drop repeats, so at-least-once delivery is safe.
import type { FindingRecord, PublishAction } from '../core/state/record.ts';
import type { WebhookConfig } from './config.ts';
import { secrets } from '../core/redact.ts';
import { type HttpOptions, send } from './http.ts';
import { ocsfComplianceFinding } from './ocsf.ts';
import type { PublishContext, Publisher } from './publisher.ts';
import { deliveryHeader, eventHeader, signatureHeader, signPayload } from './webhook-signature.ts';

const eventName: Record<PublishAction, string> = { create: 'finding.created', update: 'finding.updated', resolve: 'finding.resolved', reopen: 'finding.reopened' };

export class WebhookPublisher implements Publisher {
  readonly name = 'webhook';
  readonly #secret: string;
  private readonly http: HttpOptions;
  private readonly now: () => number;

  constructor(
    private readonly config: WebhookConfig,
    secret: string,
    options: { timeoutMs?: number; now?: () => number } = {},
  ) {
    this.#secret = secret;
    this.now = options.now ?? Date.now;
    // Never sent, but a receiver that knows it may quote it back.
    secrets.add(secret);
    this.http = { publisher: 'webhook', ...options };
  }

  /** The receiver owns dedupe (by delivery id); we keep no remote reference to look up. */
  async find(): Promise<string | null> {
    return null;
  }

  private payload(record: FindingRecord, action: PublishAction, deliveryId: string): string {
    const now = this.now();
    if (this.config.format === 'ocsf') return JSON.stringify(ocsfComplianceFinding(record, action, now));
    const { finding, tickets: _tickets, version: _version, ...state } = record;
    return JSON.stringify({ schema: 'posture.finding-event/v1', event: eventName[action], deliveryId, sentAt: new Date(now).toISOString(), state, finding });
  }

  private async post(ctx: PublishContext, action: PublishAction): Promise<void> {
    const body = this.payload(ctx.record, action, ctx.deliveryId);
    const headers = {
      'content-type': 'application/json',
      [signatureHeader]: signPayload(this.#secret, body, Math.floor(this.now() / 1000)),
      [deliveryHeader]: ctx.deliveryId,
      [eventHeader]: eventName[action],
    };
    await send(this.http, { method: 'POST', url: this.config.url, headers, body });
  }

  async create(ctx: PublishContext): Promise<string> {
    await this.post(ctx, 'create');
    return ctx.record.fingerprint;
  }
  async update(ctx: PublishContext): Promise<void> {
    await this.post(ctx, 'update');
  }
  async resolve(ctx: PublishContext): Promise<void> {
    await this.post(ctx, 'resolve');
  }
  async reopen(ctx: PublishContext): Promise<void> {
    await this.post(ctx, 'reopen');
  }
}
