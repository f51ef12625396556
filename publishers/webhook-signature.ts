// The GRC webhook signature, documented for receivers:
//   X-Posture-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
//   X-Posture-Delivery:  <delivery id> (the same on every retry of one event: drop repeats)
//   X-Posture-Event:     finding.created | finding.updated | finding.resolved | finding.reopened
// Receivers recompute v1 over the raw body bytes, compare in constant time, and reject
// timestamps outside their tolerance (replays).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'x-posture-signature';
export const deliveryHeader = 'x-posture-delivery';
export const eventHeader = 'x-posture-event';

export function signPayload(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/** True when `header` signs `body` with `secret` and its timestamp is within `toleranceSeconds` of now. */
export function verifyPayload(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.trim().split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const v1 = parts.v1;
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}
