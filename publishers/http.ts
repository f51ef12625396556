// HTTP for publishers, on Node's built-in fetch (undici). Turns responses into DeliveryErrors that
// carry the server's wait (Retry-After, X-RateLimit-Reset) and never carry a credential: messages
// hold the method, path, status and a bounded excerpt of the body, scrubbed of every form of every
// credential held (core/redact.ts; publishers register theirs when they get them) before it is cut.
import type { z } from 'zod';
import { secrets } from '../core/redact.ts';
import { DeliveryError } from './publisher.ts';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON unless a string (then sent as is, with the caller's content type). */
  body?: unknown;
}

export interface HttpOptions {
  /** Label for messages, e.g. `jira`. */
  publisher: string;
  timeoutMs?: number;
  now?: () => number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  text: string;
}

const retryableStatus = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/** The latest time any rate-limit header asks us to wait until, in epoch ms. */
export function retryAtFromHeaders(headers: Headers, now: number): number | null {
  const hints: number[] = [];
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) hints.push(now + Math.max(0, seconds) * 1000);
    else if (!Number.isNaN(Date.parse(retryAfter))) hints.push(Date.parse(retryAfter));
  }
  const reset = headers.get('x-ratelimit-reset');
  if (reset) {
    const n = Number(reset);
    // Jira sends ISO-8601; ServiceNow sends UNIX seconds.
    if (Number.isFinite(n)) hints.push(n < 1e11 ? n * 1000 : n);
    else if (!Number.isNaN(Date.parse(reset))) hints.push(Date.parse(reset));
  }
  return hints.length ? Math.max(...hints) : null;
}

/** Characters of an error body kept in a DeliveryError (and so in logs and the outbox). */
const excerptLength = 300;

/** The readable part of an error body: Jira's errorMessages/errors, ServiceNow's error.message/detail. */
export function errorExcerpt(text: string): string {
  try {
    const body = JSON.parse(text) as { errorMessages?: unknown; errors?: unknown; error?: { message?: unknown; detail?: unknown } };
    const parts: string[] = [];
    if (Array.isArray(body.errorMessages)) parts.push(...body.errorMessages.map(String));
    if (body.errors && typeof body.errors === 'object') parts.push(...Object.entries(body.errors).map(([k, v]) => `${k}: ${String(v)}`));
    if (body.error && typeof body.error === 'object') parts.push(...[body.error.message, body.error.detail].filter(Boolean).map(String));
    if (parts.length) return parts.join('; ');
  } catch {
    // not JSON: fall through to the raw text
  }
  return text;
}

export async function send(options: HttpOptions, request: HttpRequest): Promise<HttpResponse> {
  const now = options.now ?? Date.now;
  const where = `${options.publisher} ${request.method} ${new URL(request.url).pathname}`;
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(request.url, { method: request.method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).name;
    throw new DeliveryError(`${where}: no response (${secrets.excerpt(String(cause), excerptLength)})`, true);
  }
  const text = (await response.text()).slice(0, 1_000_000);
  if (response.status >= 200 && response.status < 300) return { status: response.status, headers: response.headers, text };
  // Scrubbed whole before it is cut: a credential cut in half by the excerpt is no longer recognisable.
  const excerpt = secrets.excerpt(secrets.scrub(errorExcerpt(text)).replace(/\s+/g, ' '), excerptLength);
  throw new DeliveryError(
    `${where}: HTTP ${response.status}${excerpt ? ` ${excerpt}` : ''}`,
    retryableStatus.has(response.status),
    response.status,
    retryAtFromHeaders(response.headers, now()),
  );
}

/** Sends and validates the JSON answer against what we rely on. */
export async function sendJson<T extends z.ZodType>(options: HttpOptions, request: HttpRequest, schema: T): Promise<z.infer<T>> {
  const response = await send(options, request);
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    throw new DeliveryError(`${options.publisher} ${request.method} ${new URL(request.url).pathname}: answer is not JSON`, true, response.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new DeliveryError(
      `${options.publisher} ${request.method} ${new URL(request.url).pathname}: unexpected answer shape: ${secrets.excerpt(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; '), excerptLength)}`,
      false,
      response.status,
    );
  }
  return parsed.data;
}
