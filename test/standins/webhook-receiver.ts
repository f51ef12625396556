// A GRC webhook receiver on loopback: verifies X-Posture-Signature with its own HMAC code (not the
// publisher's), rejects stale timestamps, and keeps one event per X-Posture-Delivery id.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/state/clock.ts';
import { systemClock } from '../../core/state/clock.ts';
import { type FaultOptions, Faults, serve } from '../publishers/support/standin-http.ts';

export interface ReceivedEvent {
  deliveryId: string;
  event: string;
  body: Record<string, unknown>;
}

export async function startWebhookReceiver(options: { secret?: string; clock?: Clock; toleranceSeconds?: number; faults?: FaultOptions } = {}) {
  const secret = options.secret ?? 'whsec-0123456789abcdef';
  const clock = options.clock ?? systemClock;
  const faults = new Faults(clock, options.faults);
  const events: ReceivedEvent[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  let rejected = 0;

  const verify = (header: string | undefined, body: string): boolean => {
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
    if (!m) return false;
    if (Math.abs(clock.now() / 1000 - Number(m[1])) > (options.toleranceSeconds ?? 300)) return false;
    const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
    return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
  };

  const started = await serve((req, _url, text) => {
    if (req.method !== 'POST') return { status: 405 };
    if (!verify(req.headers['x-posture-signature'] as string | undefined, text)) {
      rejected += 1;
      return { status: 401, body: { error: 'bad signature' } };
    }
    const injected = faults.next();
    if (injected) return injected;
    const deliveryId = String(req.headers['x-posture-delivery'] ?? '');
    if (!deliveryId) return { status: 400, body: { error: 'missing X-Posture-Delivery' } };
    if (seen.has(deliveryId)) {
      duplicates += 1;
      return { status: 200, body: { duplicate: true } };
    }
    seen.add(deliveryId);
    events.push({ deliveryId, event: String(req.headers['x-posture-event'] ?? ''), body: JSON.parse(text) as Record<string, unknown> });
    return { status: 202, body: { accepted: true } };
  });

  return {
    url: `${started.url}/hooks/posture`,
    secret,
    faults,
    events,
    stats: () => ({ duplicates, rejected }),
    close: started.close,
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
