// HTTP for registries on undici: retries with backoff on 429/5xx and dropped connections (Retry-After
// honoured), timeouts, and redirects followed by hand so Authorization never reaches another origin
// (registries send blob downloads to S3 / Azure Blob / GCS with signed URLs).
import { Agent, RetryAgent, request, type Dispatcher } from 'undici';
import { secrets } from '../../../core/redact.ts';
import { stripControl } from '../../../core/terminal.ts';
import { ImageScanError, RegistryError } from '../errors.ts';
import type { Timeouts } from '../options.ts';

export interface HttpClientOptions {
  timeouts?: Timeouts;
  maxRetries?: number;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
  url: URL;
}

const maxRedirects = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);

export class HttpClient {
  private readonly dispatcher: Dispatcher;
  readonly signal: AbortSignal | undefined;

  constructor(options: HttpClientOptions = {}) {
    const t = options.timeouts ?? {};
    const agent = new Agent({
      connectTimeout: t.connectMs ?? 15_000,
      headersTimeout: t.headersMs ?? 60_000,
      bodyTimeout: t.bodyIdleMs ?? 60_000,
      connections: 8,
    });
    this.dispatcher = new RetryAgent(agent, {
      maxRetries: options.maxRetries ?? 4,
      minTimeout: 250,
      maxTimeout: 30_000,
      timeoutFactor: 2,
      retryAfter: true,
      statusCodes: [429, 500, 502, 503, 504],
      // Hand the final 429/5xx to us (instead of a generic error) so the message can name it.
      throwOnError: false,
    });
    this.signal = options.signal;
  }

  /** GET (or other method) following redirects; `headers` apply to the first origin only. */
  async send(method: 'GET' | 'HEAD' | 'POST', url: URL, headers: Record<string, string>, body?: string, signal?: AbortSignal): Promise<HttpResponse> {
    let current = url;
    let currentHeaders = headers;
    const abort = signal && this.signal ? AbortSignal.any([signal, this.signal]) : (signal ?? this.signal);
    for (let hop = 0; ; hop++) {
      const res = await request(current, {
        method,
        headers: currentHeaders,
        ...(body !== undefined ? { body } : {}),
        dispatcher: this.dispatcher,
        ...(abort ? { signal: abort } : {}),
      });
      const location = res.headers.location;
      if (!redirectStatuses.has(res.statusCode) || typeof location !== 'string') {
        return { status: res.statusCode, headers: res.headers, body: res.body, url: current };
      }
      await res.body.dump();
      if (hop >= maxRedirects) throw new RegistryError('registry-error', `${url.host}: more than ${maxRedirects} redirects from ${url.pathname}`, res.statusCode);
      const next = new URL(location, current);
      if (current.protocol === 'https:' && next.protocol !== 'https:') {
        throw new RegistryError('registry-error', `${url.host}: refused redirect from HTTPS to ${next.protocol} ${next.host}`, res.statusCode);
      }
      if (next.origin !== current.origin) {
        // Signed storage URLs carry their own authorization; ours must not leak to them.
        const { authorization: _dropped, Authorization: _dropped2, ...rest } = currentHeaders;
        currentHeaders = rest;
      }
      current = next;
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

/** Reads a body whole, refusing more than `maxBytes` (checked against Content-Length first, then while reading). */
export async function readCapped(res: HttpResponse, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body.dump();
    throw new ImageScanError('manifest-too-large', `${what}: ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      res.body.destroy();
      throw new ImageScanError('manifest-too-large', `${what}: more than ${maxBytes} bytes, over the limit`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * A short, safe excerpt of an error body for messages (registries explain errors in JSON). A hostile
 * server may echo our credentials or send terminal escapes: both are removed before the text is cut.
 */
export async function errorExcerpt(res: HttpResponse): Promise<string> {
  try {
    const text = (await readCapped(res, 16 * 1024, 'error body')).toString('utf8');
    return secrets.excerpt(stripControl(text).replace(/\s+/g, ' '), 300);
  } catch {
    return '';
  }
}

/** Parses a JSON body, naming the endpoint when it is not JSON. */
export function parseJsonBody(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryError('registry-error', `${what}: answer is not JSON`, null);
  }
}
